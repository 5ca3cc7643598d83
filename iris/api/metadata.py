"""What ``OPTIONS`` answers: the endpoint's name, description and media types (the
Allow header lists its methods). The fields each method takes are in the OpenAPI
schema (/api/v1/schema), not here: DRF's way of listing them needs one serializer per
viewset, which the API's views, built from read-models, do not have."""

from __future__ import annotations

from typing import Any

from rest_framework.metadata import SimpleMetadata
from rest_framework.request import Request


class EndpointMetadata(SimpleMetadata):
    def determine_metadata(self, request: Request, view: Any) -> dict[str, Any]:
        return {
            "name": view.get_view_name(),
            "description": view.get_view_description(),
            "renders": [renderer.media_type for renderer in view.renderer_classes],
            "parses": [parser.media_type for parser in view.parser_classes],
        }
