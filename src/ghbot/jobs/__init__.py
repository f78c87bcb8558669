"""Durable jobs: the queue interface, its SQLite backend and the in-process worker pool."""

from ghbot.jobs.models import Job, JobOutcome, JobSpec, QueueStats
from ghbot.jobs.queue import JobQueue

__all__ = ["Job", "JobOutcome", "JobQueue", "JobSpec", "QueueStats"]
