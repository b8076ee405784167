"""`subject_name`: a subject's name in the text (beside its code or as a 类/款/项 path) against the
tables and the official name."""
from __future__ import annotations

import re

from budgets.audit.figures import figures, names_match
from budgets.audit.model import Disclosure, Finding, judge, wan_text
from budgets.audit.name_variant import extraction_noise, same_name
from budgets.audit.narrative import read
from budgets.audit.text_evidence import key, where
from extractors.identities import Amount
from extractors.narrative import Concept, sentences
from extractors.subject_changes import other_names
from extractors.vocabulary import CLASS_NAMES, plain, row_label, subject_key

NAMED_LEVEL = re.compile(r"([^\s（()）,，。；;、:：“”\"0-9]{2,40})[（(](\d{2,3})(类|款|项)[)）]")


def check(disclosure: Disclosure) -> list[Finding]:
    """'卫生健康支出（210类）…' : each level's name the text gives beside its code, against the name the
    tables print for that code and the official name in the catalogue of the document's own year
    (the reference list with the crosswalk's dated names: a 2017 document printing the 2017 name
    is right). A former official name or a name the tables do not print is a warning."""
    printed: dict[str, set] = {}
    for line in disclosure.lines:
        if line.get("subject_code") and line.get("subject_name"):
            printed.setdefault(line["subject_code"], set()).add(plain(line["subject_name"]))
    year = disclosure.fiscal_year
    found, seen = [], set()
    for paragraph, sentence in sentences(disclosure.paragraphs):
        text = re.sub(r"\s+", "", sentence)
        code = ""
        for match in NAMED_LEVEL.finditer(text):
            name, digits, level = match.groups()
            code = digits if level == "类" and len(digits) == 3 else (code + digits if code and len(digits) == 2 else "")
            if not code:
                continue
            official = disclosure.subjects.get(("functional", code))
            names = ({official} if official else set()) | printed.get(code, set())
            if not names or any(plain(name).endswith(plain(n)) or same_name(name, n) or extraction_noise(plain(name), plain(n))
                                for n in names):
                continue
            former = (level == "类" and CLASS_NAMES.get(plain(name)) == code) or is_former_name(name, code, year)
            if (code, name) in seen:
                continue
            seen.add((code, name))
            expected = official or sorted(printed[code])[0]
            found.append(Finding(
                check="subject_name", severity="warning", evidence=where(paragraph, sentence), subject_code=code,
                message=(f"The text names {code} “{name}”" + (", a former name;" if former else ";")
                         + f" {'its official name for ' + str(year) + ' is' if official else 'the tables print'} “{expected}”."),
                year=year, key=key(paragraph, sentence, f"subject|{code}|{name}"),
            ))
    return found + path_names(disclosure)


def is_former_name(name: str, code: str, year: int | None) -> bool:
    """Whether `name` is what `code` is called in the catalogue of another year than `year` (the
    crosswalk's renamings: 2040405 公诉和审判监督 up to 2017)."""
    return bool(year) and any(same_name(name, other) for other in other_names("functional", code, year))


def children(disclosure: Disclosure, code: str, depth: int) -> dict[str, str]:
    """The codes under `code` the tables print at `depth` digits, with the name they print."""
    return {subject_key(l): row_label(l) for l in disclosure.lines
            if len(subject_key(l)) == depth and subject_key(l).startswith(code) and row_label(l)}


def agrees_with_tables(disclosure: Disclosure, code: str, statement) -> bool:
    cells = figures(disclosure, Concept("expenditure", "class", code), statement.year, statement.basis)
    return any(judge(Amount.of_line(c), statement.amount) is None for c in cells)


def path_names(disclosure: Disclosure) -> list[Finding]:
    """'住房保障支出（类）住房改革支出（款）购房补贴（项）207万元' names its subject without codes: the
    类 resolves by name (a former official name is a warning), then each 款 and 项 among the children
    the tables print. A level that does not resolve, while the amount equals exactly one child's (at
    the path's last level), names that child as expected (warning)."""
    year = disclosure.fiscal_year
    found, seen = [], set()
    for statement in read(disclosure.paragraphs, year):
        if statement.concept.measure != "path":
            continue
        code, *names = statement.concept.subject.split("|")
        written = next((n for n in sorted(CLASS_NAMES, key=len, reverse=True) if n in statement.label), "")
        official = disclosure.subjects.get(("functional", code))
        problems = []
        if official and written and not same_name(written, official):
            problems.append(f"names {code} “{written}”, a former name; its official name for {year} is “{official}”")
        depth_of_last = len(code) + 2 * len(names)
        for level, name in zip(("款", "项"), names):
            under = children(disclosure, code, len(code) + 2)
            match = [c for c, printed in under.items() if names_match(printed, name) or same_name(printed, name)]
            if len(match) == 1:
                code = match[0]
                continue
            renamed = [c for c in under if is_former_name(name, c, year)]
            if not match and len(renamed) == 1:
                code = renamed[0]
                problems.append(f"names the {level} {code} “{name}”, a former name; its official name for {year} is "
                                f"“{disclosure.subjects.get(('functional', code)) or under[code]}”")
                continue
            if match or statement.amount is None:
                break
            candidates = {c[:len(code) + 2] for c in children(disclosure, code, depth_of_last)
                          if agrees_with_tables(disclosure, c, statement)}
            if len(candidates) == 1:
                expected = candidates.pop()
                problems.append(f"names the {level} “{name}”, which the tables do not print under {code}; "
                                f"the {wan_text(statement.amount)}万元 it states is that of {expected} "
                                f"“{under.get(expected, '')}”")
            break
        what = (statement.concept.subject, statement.sentence)
        if not problems or what in seen:
            continue
        seen.add(what)
        found.append(Finding(
            check="subject_name", severity="warning", evidence=statement.where, subject_code=code,
            message=f"The text {'; and '.join(problems)}.", year=year, actual=statement.amount,
            key=key(statement.paragraph, statement.sentence, f"path|{statement.concept.subject}"),
        ))
    return found
