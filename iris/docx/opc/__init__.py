"""The package layer: the zip container, OPC parts and relationships, safety limits, XML names."""
