"""The adaptive factor: multiplicative decrease on server push-back, slow recovery on quiet."""

from __future__ import annotations


class AdaptiveFactor:
    """A multiplier in [floor, 1.0] applied to the user's rate.

    Push-back halves it at once (servers punish persistence); only a run of `quiet_run`
    successes in a row raises it, by `increase`, so recovery is gradual and never exceeds 1.0,
    i.e. never exceeds what the user allowed.
    """

    def __init__(
        self,
        *,
        decrease: float = 0.5,
        increase: float = 1.25,
        floor: float = 1 / 16,
        quiet_run: int = 20,
    ) -> None:
        if not (0 < decrease < 1 and increase > 1 and 0 < floor <= 1 and quiet_run >= 1):
            raise ValueError("adaptive factor settings out of range")
        self._decrease = decrease
        self._increase = increase
        self._floor = floor
        self._quiet_run = quiet_run
        self._quiet = 0
        self.value = 1.0

    def pushback(self) -> None:
        self.value = max(self._floor, self.value * self._decrease)
        self._quiet = 0

    def success(self) -> None:
        if self.value >= 1.0:
            return
        self._quiet += 1
        if self._quiet >= self._quiet_run:
            self._quiet = 0
            self.value = min(1.0, self.value * self._increase)
