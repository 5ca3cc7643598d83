"""Operations: health and readiness, logging, system checks, status commands."""
