"""The publicly known outcomes of the captured agreements (fixtures/status_history.yaml),
loaded as status reports beside the agreements themselves."""

from pathlib import Path

from agreements.loading import LoadSummary, read_date, read_yaml, upsert
from agreements.models import Obligation
from agreements.status import Status
from tracker.models import StatusReport

HISTORY_FILE = "status_history.yaml"


def read_history(directory: Path, obligations: set[tuple[str, str]], problems: list[str]):
    """Read and check the history file against the obligations the fixtures hold."""
    data = read_yaml(directory / HISTORY_FILE, problems) or {}
    check_history(data, obligations, problems)
    return data


def write_history(data: dict, summary: LoadSummary) -> None:

    # Oldest first: the report registered last is the current status.
    items = sorted(data.get("reports") or [], key=lambda item: str(item["reported_at"]))
    for item in items:
        obligation = Obligation.objects.get(
            agreement__slug=item["agreement"], key=item["obligation"]
        )
        # A public outcome holds from the day its source gives; it is registered now.
        upsert(
            StatusReport,
            {
                "obligation": obligation,
                "source": item["source"],
                "effective_from": read_date(item["reported_at"], item["obligation"], []),
            },
            {
                "status": item["status"],
                "text": item.get("text") or "",
                "effective_reason": f"Offentligt kendt udfald: {item['source']}"[:300],
            },
            summary,
        )


def check_history(data: dict, obligations: set[tuple[str, str]], problems: list[str]) -> None:
    for index, item in enumerate(data.get("reports") or [], start=1):
        here = f"{HISTORY_FILE}: report #{index}"
        if (item.get("agreement"), item.get("obligation")) not in obligations:
            problems.append(
                f"{here}: unknown obligation {item.get('agreement')}/{item.get('obligation')}"
            )
        if item.get("status") not in Status.values:
            problems.append(f"{here}: unknown status {item.get('status')!r}")
        if not item.get("source"):
            problems.append(f"{here}: a public outcome must name its source")
        read_date(item.get("reported_at"), here, problems)
