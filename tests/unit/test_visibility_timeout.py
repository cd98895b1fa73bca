"""No task is scheduled further ahead than the broker's visibility timeout: on Redis a task
held back longer is handed to a second worker while the first still holds it, and runs
twice. The check reads every call in the project's code that passes `countdown=` or `eta=`
(apply_async, retry, signatures) and the beat schedule's options."""

import ast
from datetime import timedelta
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
SKIP = {".venv", "node_modules", "tests", "migrations", "var", ".git"}


def _sources() -> list[Path]:
    return [
        path for path in ROOT.rglob("*.py") if not SKIP.intersection(path.relative_to(ROOT).parts)
    ]


def _constants(tree: ast.Module) -> dict[str, ast.expr]:
    """Module-level NAME = <expr> assignments."""
    return {
        target.id: node.value
        for node in tree.body
        if isinstance(node, ast.Assign)
        for target in node.targets
        if isinstance(target, ast.Name)
    }


def _seconds(node: ast.expr, constants: dict[str, ast.expr]) -> float | None:
    """The delay `node` stands for, in seconds: a number, timedelta(...) of numbers, a
    module constant holding one, or `<now> + <delay>` for an ETA. None when it cannot say."""
    if isinstance(node, ast.Constant) and isinstance(node.value, int | float):
        return float(node.value)
    if isinstance(node, ast.Name) and node.id in constants:
        return _seconds(constants[node.id], constants)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add | ast.Mult):
        left, right = _seconds(node.left, constants), _seconds(node.right, constants)
        if isinstance(node.op, ast.Add):  # now + delay: the delay counts
            return right if left is None else left if right is None else left + right
        return None if left is None or right is None else left * right
    if isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", "")) == (
        "timedelta"
    ):
        values = {k.arg: _seconds(k.value, constants) for k in node.keywords}
        if None in values.values() or node.args:
            return None
        return timedelta(**values).total_seconds()
    return None


def scheduled_delays() -> list[tuple[str, float | None]]:
    """(where, seconds) of every countdown= and eta= in the project's code."""
    found = []
    for path in _sources():
        tree = ast.parse(path.read_text(), filename=str(path))
        constants = _constants(tree)
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            for keyword in node.keywords:
                if keyword.arg in {"countdown", "eta"}:
                    where = f"{path.relative_to(ROOT)}:{node.lineno} {keyword.arg}="
                    found.append((where, _seconds(keyword.value, constants)))
    return found


def test_no_task_is_scheduled_beyond_the_visibility_timeout():
    limit = settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    too_far = [(where, s) for where, s in scheduled_delays() if s is None or s >= limit]
    assert not too_far, (
        f"scheduled further than the visibility timeout ({limit} s), or a delay this check "
        f"cannot read (write it as a number, a timedelta or a module constant): {too_far}"
    )
    for name, entry in settings.CELERY_BEAT_SCHEDULE.items():
        countdown = entry.get("options", {}).get("countdown", 0)
        assert countdown < limit, f"beat entry {name} is held back {countdown} s"


def test_the_check_reads_delays_as_they_are_written():
    tree = ast.parse(
        "HOUR = timedelta(hours=1)\n"
        "a.apply_async(countdown=30)\n"
        "a.apply_async(countdown=HOUR)\n"
        "a.apply_async(eta=timezone.now() + timedelta(minutes=2))\n"
        "self.retry(countdown=backoff(n))\n"
    )
    constants = _constants(tree)
    delays = [
        _seconds(k.value, constants)
        for node in tree.body
        if isinstance(node, ast.Expr)
        for k in node.value.keywords
    ]
    assert delays == [30, 3600, 120, None]


def test_claims_outlive_the_longest_delivery_task():
    # A live worker's claim is never handed to another: a claim is older than the stale
    # limit only when its task died (the hard time limit kills it first).
    assert settings.RFS_OUTBOX_STALE_CLAIM.total_seconds() > settings.CELERY_TASK_TIME_LIMIT
