"""Shipped language models (installed as `auditor.models`; auditor/models is a symlink to this folder)."""
