"""Every word of the import templates and their guide reaches Italian (the kinds name
gettext_lazy ``_l``, which makemessages collects only through our own command)."""

from django.utils import translation

from lgnet.imports.kinds import KINDS


def _texts(kind) -> list[tuple[str, object]]:
    texts = [(f"{kind.name}", kind.label)]
    for column in kind.columns:
        texts.append((f"{kind.name}.{column.name}", column.label))
        if column.help:
            texts.append((f"{kind.name}.{column.name} (help)", column.help))
    return texts


def test_every_column_of_every_kind_speaks_italian():
    untranslated = []
    for kind in KINDS.values():
        for where, text in _texts(kind):
            with translation.override("en"):
                english = str(text)
            with translation.override("it"):
                italian = str(text)
            if italian == english:
                untranslated.append(f"{where}: {english}")
    assert untranslated == []
