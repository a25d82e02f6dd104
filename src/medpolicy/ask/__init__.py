"""Plain questions answered from the stored policies, with every part of the answer quoted.

    >>> import medpolicy
    >>> from medpolicy.ask import ask
    >>> with medpolicy.open("policies.db") as store:                     # doctest: +SKIP
    ...     answer = ask(store, "Is 86357 covered by Keystone Harbor Health?")
    ...     print(answer.to_text())

Answers are deterministic and offline: the question is read by rules (codes, payers,
dates, statuses, services through a synonym table), facts come from the store, and
retrieval is medpolicy's own BM25 over current versions (`medpolicy.ask.corpus`). A
language model may reword the direct sentence when one is configured
(`medpolicy.ask.llm`); it never supplies evidence.
"""

from medpolicy.ask.answer import ANSWER_STATUSES, Answer, Evidence, Parsed
from medpolicy.ask.answering import ask
from medpolicy.ask.question import INTENTS

__all__ = ["ANSWER_STATUSES", "INTENTS", "Answer", "Evidence", "Parsed", "ask"]
