"""CLI sub-commands beyond `audit`/`fix`/`rules`: each module exposes
`register(app)` and keeps heavy imports inside its command functions."""
