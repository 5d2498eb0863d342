"""The frameworks the bot answers from: the active one, the others it crosswalks to, and the HETT bands."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from framework_data.loader import LoadedFramework, load_bands, load_framework, resolve_location
from framework_data.schema import Band, BandSet, Role


@dataclass(frozen=True)
class Catalogue:
    """Every loaded framework; ``primary`` is the university's own, answered by default."""

    primary: LoadedFramework
    others: tuple[LoadedFramework, ...]
    bands: BandSet
    _by_id: dict[str, LoadedFramework] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_id", {f.id: f for f in (self.primary, *self.others)})

    @property
    def frameworks(self) -> tuple[LoadedFramework, ...]:
        return (self.primary, *self.others)

    def framework(self, framework_id: str) -> LoadedFramework:
        return self._by_id[framework_id]

    def role(self, ref: str) -> tuple[LoadedFramework, Role]:
        """Look up a role by its reference, ``framework:role``."""
        framework_id, role_id = ref.split(":", 1)
        loaded = self._by_id[framework_id]
        return loaded, loaded.roles[role_id]

    def band(self, number: str) -> Band | None:
        return next((b for b in self.bands.bands if b.number == number), None)


def role_ref(framework: LoadedFramework, role: Role) -> str:
    """The stable reference of a role across frameworks."""
    return f"{framework.id}:{role.id}"


def load_catalogue(
    primary: str = "lancaster",
    others: Sequence[str] = ("imperial",),
    *,
    primary_setting: str = "",
    others_setting: str = "",
) -> Catalogue:
    """Load the active framework and the ones it is compared with; raise FrameworkError on any problem.

    ``primary_setting`` and ``others_setting`` name where the two came from (the environment variables), so
    a name that is neither bundled nor a file says which setting to fix."""
    bands = load_bands()
    main = load_framework(resolve_location(primary, primary_setting), bands)
    extra = tuple(
        load_framework(resolve_location(name, others_setting), bands)
        for name in others
        if name and name != primary
    )
    return Catalogue(primary=main, others=extra, bands=bands)
