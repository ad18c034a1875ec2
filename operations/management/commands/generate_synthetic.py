from django.core.management.base import CommandError
from tqdm import tqdm

from common.commands import DatabaseCommand
from operations.synthetic import generate


class Command(DatabaseCommand):
    help = (
        "Add a realistic synthetic data set (parties, agreements, obligations with windows over "
        "years, status reports with history) in bulk, for benchmarks."
    )

    def add_arguments(self, parser):
        parser.add_argument("--obligations", type=int, required=True)
        parser.add_argument("--reports-per-obligation", type=int, default=2)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args, obligations, reports_per_obligation, seed, no_progress, **options):
        if obligations < 1:
            raise CommandError("--obligations must be at least 1")
        if reports_per_obligation < 0:
            raise CommandError("--reports-per-obligation cannot be negative")
        with tqdm(total=obligations, unit="forpligtelser", disable=no_progress) as bar:
            summary = generate(obligations, reports_per_obligation, seed, progress=bar.update)
        self.stdout.write(
            f"Made {summary.obligations} obligations in {summary.agreements} agreements, "
            f"{summary.reports} status reports, for {summary.parties} parties."
        )
