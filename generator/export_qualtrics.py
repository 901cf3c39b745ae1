"""A questionnaire as a Qualtrics Advanced Format TXT import file.

Qualtrics reads the file line by line: ``[[AdvancedFormat]]`` first, then
``[[Block:NAME]]`` per dimension holding one ``[[Question:Matrix]]`` whose
``[[Choices]]`` are the statements and ``[[Answers]]`` the scale's labels and
not-applicable answers; outcomes are single-answer questions, open questions
essays. Each question carries ``[[ID:…]]`` (the dimension, outcome or open
question id).

Qualtrics' CSV export names a matrix statement's column ``Question text -
Statement``, and gives an answer as its choice text: ``cxsite import`` finds
the item by that statement and reads the label, so what comes back is scored
as cxsite asked it.

Text from the questionnaire lands in a line-based format that Qualtrics
shows as HTML: it is put on one line, ``[[`` cannot open a tag, and ``&``,
``<`` and ``>`` are written as entities.
"""

from __future__ import annotations

import html

from .model import Questionnaire, Scale


def qualtrics_text(text: str) -> str:
    """``text`` as one line of the file: whitespace collapsed, HTML escaped, no ``[[`` tag opener."""
    line = html.escape(" ".join(str(text).split()), quote=False)
    return line.replace("[[", "[ [").replace("]]", "] ]")


def matrix_prompt(title: str) -> str:
    """The question above a dimension's statements (Qualtrics exports it before each statement)."""
    return f"{title}: how far does each statement match your experience?"


def answers(scale: Scale) -> list[str]:
    """A scale's answer choices as respondents see them: every point's label, then not applicable."""
    return [scale.label(p) for p in scale.points] + list(scale.not_applicable)


def qualtrics_txt(q: Questionnaire, texts: dict[str, str]) -> str:
    """The Advanced Format TXT of ``q``, each question worded as ``texts`` says."""
    lines = ["[[AdvancedFormat]]", ""]
    for d in q.dimensions:
        lines += [f"[[Block:{qualtrics_text(d.title)}]]", "", "[[Question:Matrix]]", f"[[ID:{d.id}]]",
                  qualtrics_text(matrix_prompt(d.title)), "[[Choices]]"]
        lines += [qualtrics_text(texts[i.id]) for i in d.items]
        lines += ["[[Answers]]", *(qualtrics_text(a) for a in answers(d.scale)), ""]
    if q.outcomes or q.open_questions:
        lines += ["[[Block:Overall]]", ""]
    for o in q.outcomes:
        lines += ["[[Question:MC:SingleAnswer:Horizontal]]", f"[[ID:{o.id}]]", qualtrics_text(texts[o.id]),
                  "[[Choices]]", *(qualtrics_text(a) for a in answers(o.scale)), ""]
    for o in q.open_questions:
        lines += ["[[Question:TE:Essay]]", f"[[ID:{o.id}]]", qualtrics_text(texts[o.id]), ""]
    return "\n".join(lines)
