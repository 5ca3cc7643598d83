"""Schema-correct placement of new child elements (ECMA-376 Part 1 sequences).

Word rejects or silently repairs documents whose property elements are out of the
schema's sequence order, so every element the library adds goes through
`ensure_child`, which inserts before the first existing sibling that must follow it.
Siblings are matched by local name (``m:mathPr`` sits in the settings sequence);
children unknown to the sequence (extensions such as ``w14:*``) are treated as coming
after every known element.
"""

from __future__ import annotations

from lxml import etree

from iris.docx.opc.names import local_name, words

# CT_RPr (17.3.2.28) / EG_RPrBase, then rPrChange.
RPR_ORDER = words(
    "rStyle rFonts b bCs i iCs caps smallCaps strike dstrike outline shadow emboss "
    "imprint noProof snapToGrid vanish webHidden color spacing w kern position sz szCs "
    "highlight u effect bdr shd fitText vertAlign rtl cs em lang eastAsianLayout "
    "specVanish oMath rPrChange"
)

# CT_PPr (17.3.1.26) / CT_PPrBase, then rPr, sectPr, pPrChange.
PPR_ORDER = words(
    "pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr "
    "suppressLineNumbers pBdr shd tabs suppressAutoHyphens kinsoku wordWrap overflowPunct "
    "topLinePunct autoSpaceDE autoSpaceDN bidi adjustRightInd snapToGrid spacing ind "
    "contextualSpacing mirrorIndents suppressOverlap jc textDirection textAlignment "
    "textboxTightWrap outlineLvl divId cnfStyle rPr sectPr pPrChange"
)

# CT_TblPr (17.4.60) / CT_TblPrBase, then tblPrChange.
TBLPR_ORDER = words(
    "tblStyle tblpPr tblOverlap bidiVisual tblStyleRowBandSize tblStyleColBandSize tblW "
    "jc tblCellSpacing tblInd tblBorders shd tblLayout tblCellMar tblLook tblCaption "
    "tblDescription tblPrChange"
)

# CT_SectPr (17.6.17): header/footer references, EG_SectPrContents, then sectPrChange.
SECTPR_ORDER = words(
    "headerReference footerReference footnotePr endnotePr type pgSz pgMar paperSrc "
    "pgBorders lnNumType pgNumType cols formProt vAlign noEndnote titlePg textDirection "
    "bidi rtlGutter docGrid printerSettings sectPrChange"
)

# CT_Settings (17.15.1.78).
SETTINGS_ORDER = words(
    "writeProtection view zoom removePersonalInformation removeDateAndTime "
    "doNotDisplayPageBoundaries displayBackgroundShape printPostScriptOverText "
    "printFractionalCharacterWidth printFormsData embedTrueTypeFonts embedSystemFonts "
    "saveSubsetFonts saveFormsData mirrorMargins alignBordersAndEdges "
    "bordersDoNotSurroundHeader bordersDoNotSurroundFooter gutterAtTop hideSpellingErrors "
    "hideGrammaticalErrors activeWritingStyle proofState formsDesign attachedTemplate "
    "linkStyles stylePaneFormatFilter stylePaneSortMethod documentType mailMerge "
    "revisionView trackRevisions doNotTrackMoves doNotTrackFormatting documentProtection "
    "autoFormatOverride styleLockTheme styleLockQFSet defaultTabStop autoHyphenation "
    "consecutiveHyphenLimit hyphenationZone doNotHyphenateCaps showEnvelope summaryLength "
    "clickAndTypeStyle defaultTableStyle evenAndOddHeaders bookFoldRevPrinting "
    "bookFoldPrinting bookFoldPrintingSheets drawingGridHorizontalSpacing "
    "drawingGridVerticalSpacing displayHorizontalDrawingGridEvery "
    "displayVerticalDrawingGridEvery doNotUseMarginsForDrawingGridOrigin "
    "drawingGridHorizontalOrigin drawingGridVerticalOrigin doNotShadeFormData "
    "noPunctuationKerning characterSpacingControl printTwoOnOne strictFirstAndLastChars "
    "noLineBreaksAfter noLineBreaksBefore savePreviewPicture doNotValidateAgainstSchema "
    "saveInvalidXml ignoreMixedContent alwaysShowPlaceholderText doNotDemarcateInvalidXml "
    "saveXmlDataOnly useXSLTWhenSaving saveThroughXslt showXMLTags "
    "alwaysMergeEmptyNamespace updateFields hdrShapeDefaults footnotePr endnotePr compat "
    "docVars rsids mathPr attachedSchema themeFontLang clrSchemeMapping "
    "doNotIncludeSubdocsInStats doNotAutoCompressPictures forceUpgrade captions "
    "readModeInkLockDown smartTagType schemaLibrary shapeDefaults doNotEmbedSmartTags "
    "decimalSymbol listSeparator"
)

# CT_DocDefaults and CT_Styles.
STYLES_ORDER = ("docDefaults", "latentStyles", "style")
DOC_DEFAULTS_ORDER = ("rPrDefault", "pPrDefault")

_POSITIONS: dict[tuple[str, ...], dict[str, int]] = {}


def _positions(order: tuple[str, ...] | list[str]) -> dict[str, int]:
    key = tuple(order)
    found = _POSITIONS.get(key)
    if found is None:
        found = {name: index for index, name in enumerate(key)}
        _POSITIONS[key] = found
    return found


def insert_ordered(
    parent: etree._Element, child: etree._Element, order: tuple[str, ...] | list[str]
) -> etree._Element:
    """Insert ``child`` into ``parent`` at its position in ``order``; return it."""
    positions = _positions(order)
    wanted = positions[local_name(child.tag)]
    for index, sibling in enumerate(parent):
        if not isinstance(sibling.tag, str):
            continue
        position = positions.get(local_name(sibling.tag))
        if position is None or position > wanted:
            parent.insert(index, child)
            return child
    parent.append(child)
    return child


def ensure_child(
    parent: etree._Element, tag: str, order: tuple[str, ...] | list[str]
) -> etree._Element:
    """The child ``tag`` of ``parent``, created at its schema position when missing."""
    found = parent.find(tag)
    if found is not None:
        return found
    return insert_ordered(parent, parent.makeelement(tag, {}), order)
