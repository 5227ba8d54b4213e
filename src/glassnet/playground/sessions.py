"""The training sessions the playground keeps, bounded per client and in all.

Each client address keeps at most ``max_sessions_per_client`` sessions (its least recently
used is dropped first), so one client starting sessions in a loop replaces only its own. The
total stays under ``max_sessions`` by dropping the least recently used session of whichever
client holds the most: a client with one session loses it last.
"""

from __future__ import annotations

from collections import Counter, OrderedDict

from .limits import Limits, RequestError
from .train_session import TrainSession

__all__ = ["Sessions"]


class Sessions:
    """Live training sessions by id, least recently used first."""

    def __init__(self, limits: Limits):
        self.limits = limits
        self.live: OrderedDict[str, TrainSession] = OrderedDict()
        self.owner: dict[str, str] = {}  # session id → the client address that started it

    def __len__(self) -> int:
        return len(self.live)

    def __contains__(self, sid) -> bool:
        return sid in self.live

    def __getitem__(self, sid: str) -> TrainSession:
        return self.live[sid]  # a look, which does not count as a use

    def get(self, sid: str) -> TrainSession:
        """The session ``sid``, now the most recently used; 404 when it has been dropped."""
        if sid not in self.live:
            raise RequestError("no such training session (it may have been replaced by newer "
                               "ones); press Reset to start again", 404)
        self.live.move_to_end(sid)
        return self.live[sid]

    def add(self, session: TrainSession, client: str) -> None:
        """Keep ``session`` for ``client``, dropping old sessions beyond the limits."""
        self.live[session.id], self.owner[session.id] = session, client
        mine = [sid for sid in self.live if self.owner[sid] == client]
        for sid in mine[:max(0, len(mine) - self.limits.max_sessions_per_client)]:
            self.drop(sid)
        while len(self.live) > self.limits.max_sessions:
            busiest = Counter(self.owner[sid] for sid in self.live).most_common(1)[0][0]
            self.drop(next(sid for sid in self.live if self.owner[sid] == busiest))

    def drop(self, sid: str) -> None:
        del self.live[sid], self.owner[sid]
