/* The segment review editor: tags as chips, keyboard shortcuts, and the target written
   back as Iris tagged text on save. Without this script the page still works: each
   target is then edited as tagged text in its text area. */
(function () {
  "use strict";
  var TAG_RE = /<g[1-9][0-9]*>|<\/g[1-9][0-9]*>|<x[1-9][0-9]*\/>/g;
  var IRIS_TYPE = "text/x-iris-tagged";
  var pending = null; // {order, next}: where focus goes once a save's answer is swapped in
  var awaitingMore = -1; // segments on the page before "more segments" was asked for
  var dragged = null;

  // --- tagged text <-> editable content (the format of iris/docx/text/tag_syntax.py) --------

  function escapeText(s) {
    return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  }
  function unescapeText(s) {
    return s.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
  }
  function chip(tag) {
    var label = tag.replace(/[<>]/g, "").replace(/\/$/, "");
    var span = document.createElement("span");
    span.className = "tag chip";
    span.contentEditable = "false";
    span.draggable = true;
    span.dataset.tag = tag;
    span.title = "tag " + label;
    span.textContent = label;
    return span;
  }
  function nodesOf(tagged) {
    var frag = document.createDocumentFragment();
    var last = 0;
    var match;
    TAG_RE.lastIndex = 0;
    while ((match = TAG_RE.exec(tagged)) !== null) {
      if (match.index > last) {
        frag.appendChild(document.createTextNode(unescapeText(tagged.slice(last, match.index))));
      }
      frag.appendChild(chip(match[0]));
      last = TAG_RE.lastIndex;
    }
    if (last < tagged.length) {
      frag.appendChild(document.createTextNode(unescapeText(tagged.slice(last))));
    }
    return frag;
  }
  // Text is escaped, a chip is its tag; any other element (a <mark>, what a browser
  // wraps around typed text) only contributes what it holds.
  function serialise(node) {
    var out = "";
    node.childNodes.forEach(function (child) {
      if (child.nodeType === Node.TEXT_NODE) {
        out += escapeText(child.nodeValue);
      } else if (child.nodeType === Node.ELEMENT_NODE && child.dataset.tag) {
        out += child.dataset.tag;
      } else if (child.nodeType === Node.ELEMENT_NODE && child.tagName !== "BR") {
        out += serialise(child);
      }
    });
    return out;
  }

  // --- caret ------------------------------------------------------------------------------

  function caretToEnd(editable) {
    var range = document.createRange();
    range.selectNodeContents(editable);
    range.collapse(false);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }
  function caretRange(editable) {
    var selection = window.getSelection();
    if (!selection.rangeCount || !editable.contains(selection.getRangeAt(0).startContainer)) {
      editable.focus();
      caretToEnd(editable);
    }
    return selection.getRangeAt(0);
  }
  function insertAtCaret(editable, node) {
    var range = caretRange(editable);
    var last = node.nodeType === Node.DOCUMENT_FRAGMENT_NODE ? node.lastChild : node;
    range.deleteContents();
    range.insertNode(node);
    if (last) {
      range.setStartAfter(last);
      range.collapse(true);
      var selection = window.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
    }
  }
  function rangeAt(x, y) {
    if (document.caretRangeFromPoint) { return document.caretRangeFromPoint(x, y); }
    var position = document.caretPositionFromPoint && document.caretPositionFromPoint(x, y);
    if (!position) { return null; }
    var range = document.createRange();
    range.setStart(position.offsetNode, position.offset);
    return range;
  }

  // --- set-up of each segment's editor (on load and after every swap) ------------------

  function enhance(root) {
    root.querySelectorAll(".seg-form").forEach(function (form) {
      if (form.dataset.enhanced) { return; }
      var editable = form.querySelector(".editable");
      var raw = form.querySelector("textarea.raw");
      var label = form.querySelector("label[for='" + raw.id + "']");
      editable.hidden = false;
      raw.hidden = true;
      label.addEventListener("click", function (event) {
        event.preventDefault();
        editable.focus();
      });
      form.dataset.enhanced = "1";
    });
  }

  function editableOf(seg) {
    return seg.querySelector(".editable:not([hidden])") || seg.querySelector("textarea.raw");
  }
  function focusSegment(seg) {
    var target = editableOf(seg) || seg;
    seg.scrollIntoView({ block: "nearest" });
    target.focus();
    if (target.isContentEditable) { caretToEnd(target); }
  }
  function segments() {
    return Array.prototype.slice.call(document.querySelectorAll("#segments .seg"));
  }
  function step(seg, delta) {
    var all = segments();
    var next = all[all.indexOf(seg) + delta];
    if (next) { focusSegment(next); return; }
    var more = delta > 0 && document.querySelector("#segments .pager .more");
    if (more) {
      awaitingMore = all.length;
      more.click();
    }
  }

  // --- shortcuts ---------------------------------------------------------------------------

  function copySource(seg, editable) {
    var source = seg.querySelector(".seg-source .text");
    editable.textContent = "";
    editable.appendChild(nodesOf(serialise(source)));
    editable.focus();
    caretToEnd(editable);
  }
  function insertMissingTag(editable) {
    var have = Array.prototype.map.call(editable.querySelectorAll("[data-tag]"), function (c) {
      return c.dataset.tag;
    });
    var wanted = (editable.dataset.sourceTags || "").split(" ").filter(Boolean);
    for (var i = 0; i < wanted.length; i += 1) {
      var found = have.indexOf(wanted[i]);
      if (found < 0) { insertAtCaret(editable, chip(wanted[i])); return; }
      have.splice(found, 1);
    }
  }
  function confirmSegment(seg) {
    // A click, not requestSubmit(): htmx takes the submitter's name from the button
    // last clicked, and "confirm" is that name.
    var button = seg.querySelector(".seg-form [data-confirm]");
    if (button) { button.click(); }
  }
  function isKey(event, letter) {
    return event.code === "Key" + letter || event.key.toUpperCase() === letter;
  }

  document.addEventListener("keydown", function (event) {
    var seg = event.target.closest && event.target.closest("#segments .seg");
    if (!seg) { return; }
    var editable = seg.querySelector(".editable:not([hidden])");
    var ctrl = event.ctrlKey || event.metaKey;
    var handled = true;
    if (ctrl && event.key === "Enter") {
      confirmSegment(seg);
    } else if (event.altKey && (event.key === "ArrowDown" || event.key === "ArrowUp")) {
      step(seg, event.key === "ArrowDown" ? 1 : -1);
    } else if (ctrl && event.shiftKey && isKey(event, "S") && editable) {
      copySource(seg, editable);
    } else if (ctrl && event.shiftKey && isKey(event, "T") && editable) {
      insertMissingTag(editable);
    } else if (event.key === "Enter" && event.target === editable) {
      // one segment is one paragraph: a line break would be a tag, not a key press
    } else {
      handled = false;
    }
    if (handled) { event.preventDefault(); }
  });

  // --- clipboard and drag: chips move whole ------------------------------------------

  function selectionAsTagged() {
    var selection = window.getSelection();
    if (!selection.rangeCount) { return null; }
    var holder = document.createElement("div");
    holder.appendChild(selection.getRangeAt(0).cloneContents());
    return serialise(holder);
  }
  function onCopy(event, cut) {
    // the text a refused save sent (shown beside the stored one) is copied with its tags
    var editable = event.target.closest && event.target.closest(".editable, .conflict .text");
    if (!editable) { return; }
    var tagged = selectionAsTagged();
    if (tagged === null) { return; }
    event.preventDefault();
    event.clipboardData.setData(IRIS_TYPE, tagged);
    event.clipboardData.setData("text/plain", unescapeText(tagged.replace(TAG_RE, "")));
    if (cut && editable.isContentEditable) { window.getSelection().getRangeAt(0).deleteContents(); }
  }
  document.addEventListener("copy", function (event) { onCopy(event, false); });
  document.addEventListener("cut", function (event) { onCopy(event, true); });
  document.addEventListener("paste", function (event) {
    var editable = event.target.closest && event.target.closest(".editable");
    if (!editable) { return; }
    event.preventDefault();
    var tagged = event.clipboardData.getData(IRIS_TYPE);
    var plain = event.clipboardData.getData("text/plain").replace(/\s*\r?\n\s*/g, " ");
    insertAtCaret(editable, tagged ? nodesOf(tagged) : document.createTextNode(plain));
  });

  document.addEventListener("dragstart", function (event) {
    var found = event.target.closest && event.target.closest(".seg .chip");
    if (!found) { return; }
    dragged = found;
    found.classList.add("dragging");
    event.dataTransfer.effectAllowed = "copyMove";
    event.dataTransfer.setData(IRIS_TYPE, found.dataset.tag);
    event.dataTransfer.setData("text/plain", found.dataset.tag);
  });
  document.addEventListener("dragend", function () {
    if (dragged) { dragged.classList.remove("dragging"); }
    dragged = null;
  });
  document.addEventListener("dragover", function (event) {
    if (dragged && event.target.closest && event.target.closest(".editable")) {
      event.preventDefault();
    }
  });
  document.addEventListener("drop", function (event) {
    var editable = event.target.closest && event.target.closest(".editable");
    if (!editable || !dragged) { return; }
    event.preventDefault();
    var range = rangeAt(event.clientX, event.clientY);
    if (!range || !editable.contains(range.startContainer) || dragged.contains(range.startContainer)) {
      return;
    }
    // A chip of this target moves; one dragged from the source is added as a copy.
    var moving = editable.contains(dragged) ? dragged : chip(dragged.dataset.tag);
    if (moving === dragged) { dragged.remove(); }
    range.insertNode(moving);
    moving.classList.remove("dragging");
  });

  // --- saving: the tagged text goes in the form, the answer is swapped in -----------

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches(".seg-form")) { return; }
    var editable = form.querySelector(".editable:not([hidden])");
    if (editable) { form.querySelector("textarea.raw").value = serialise(editable); }
    var seg = form.closest(".seg");
    var confirming = event.submitter && event.submitter.hasAttribute("data-confirm");
    pending = { order: seg.dataset.order, next: Boolean(confirming) };
  }, true);

  // A refused save (422) carries the segment with its message: show it in place.
  document.addEventListener("htmx:beforeSwap", function (event) {
    if (event.detail.xhr.status === 422) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
      if (pending) { pending.next = false; }
    }
  });

  document.addEventListener("htmx:load", function (event) { enhance(event.detail.elt); });

  document.addEventListener("htmx:afterSettle", function () {
    if (awaitingMore >= 0) {
      var all = segments();
      if (all[awaitingMore]) { focusSegment(all[awaitingMore]); }
      awaitingMore = -1;
      return;
    }
    if (!pending) { return; }
    var seg = document.getElementById("seg-" + pending.order);
    var next = pending.next;
    pending = null;
    if (!seg) { return; }
    if (next && !seg.querySelector(".error")) { step(seg, 1); } else { focusSegment(seg); }
  });

  function start() {
    enhance(document);
    var wanted = document.getElementById(window.location.hash.slice(1));
    var first = wanted || document.querySelector("#segments .seg-form");
    if (first) { focusSegment(first.closest(".seg")); }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
