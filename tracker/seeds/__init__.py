"""Seed files (an agreement's definition) and record files (its dated analyst records): schema,
reading and validation. Errors name the file, the path inside it and the fix."""

from .reader import SeedError, read_document, read_documents
from .schema import AgreementSeed, RecordFile

__all__ = ["AgreementSeed", "RecordFile", "SeedError", "read_document", "read_documents"]
