"""The generators SynthDesk offers: names, plain-language labels and SDV classes."""

from __future__ import annotations

from dataclasses import dataclass

from synthdesk.errors import InvalidChoice

__all__ = ["AUTO_LABEL", "label_of", "GeneratorInfo", "GENERATORS", "AUTO_GENERATOR",
           "DEFAULT_GENERATOR", "get_generator", "is_neural"]


@dataclass(frozen=True)
class GeneratorInfo:
    """One generator as the user chooses it.

    Attributes:
        name: Stable name used by the CLI and in reports.
        label: What the window calls it (the Method page takes it from here).
        class_path: Dotted path of the class: a :class:`synthdesk.generators.base.Generator`
            or one of SDV's single-table synthesizers (run through the SDV adapter).
        neural: Whether it trains a neural network epoch by epoch.
        default_epochs: Epochs used when the user does not choose.
        summary: One sentence an analyst understands.

    """

    name: str
    label: str
    class_path: str
    neural: bool
    default_epochs: int | None
    summary: str


GENERATORS: dict[str, GeneratorInfo] = {
    info.name: info
    for info in (
        GeneratorInfo(
            "gaussian_copula",
            "Fast",
            "sdv.single_table.GaussianCopulaSynthesizer",
            neural=False,
            default_epochs=None,
            summary="Learns each column's shape and how columns move together; seconds to train.",
        ),
        GeneratorInfo(
            "cart",
            "Best quality",
            "synthdesk.generators.cart.CartGenerator",
            neural=False,
            default_epochs=None,
            summary="Draws each column from rows like it, with privacy guards; seconds to train.",
        ),
        GeneratorInfo(
            "ctgan",
            "Neural network (GAN)",
            "sdv.single_table.CTGANSynthesizer",
            neural=True,
            default_epochs=300,
            summary="A neural network that learns complex patterns; minutes to train.",
        ),
        GeneratorInfo(
            "tvae",
            "Neural network",
            "sdv.single_table.TVAESynthesizer",
            neural=True,
            default_epochs=300,
            summary="A neural autoencoder; usually faster than the GAN with similar quality.",
        ),
        GeneratorInfo(
            "copulagan",
            "Neural network (copula + GAN)",
            "sdv.single_table.CopulaGANSynthesizer",
            neural=True,
            default_epochs=300,
            summary="The GAN, after first reshaping each column with a copula; minutes to train.",
        ),
    )
}

# What the window, the command line's help and the report call "auto".
AUTO_LABEL = "Choose for me"


def label_of(name: str) -> str:
    """The plain name of a generator, as every page, the CLI help and the report say it."""
    if name == AUTO_GENERATOR:
        return AUTO_LABEL
    try:
        return get_generator(name).label
    except InvalidChoice:
        return name


# Not a generator: asks the pipeline to choose one from the table's size
# (:func:`synthdesk.generators.choice.choose_generator`).
AUTO_GENERATOR = "auto"
# What a plan uses when the user does not choose: let SynthDesk choose.
DEFAULT_GENERATOR = AUTO_GENERATOR


def is_neural(name: str) -> bool:
    """Whether ``name`` trains a neural network epoch by epoch (``auto`` never does)."""
    return name != AUTO_GENERATOR and get_generator(name).neural


def get_generator(name: str) -> GeneratorInfo:
    """Return the generator called ``name``.

    ``name`` may also be ``"package.module:ClassName"``: any importable subclass of
    SDV's single-table synthesizers (fitted like the Gaussian copula) or of
    :class:`synthdesk.generators.base.Generator`.

    Raises:
        InvalidChoice: No generator has that name.

    """
    if ":" in name:
        module, _, cls = name.partition(":")
        return GeneratorInfo(name, cls, f"{module}.{cls}", neural=False, default_epochs=None,
                             summary=f"Custom synthesizer {cls}.")
    try:
        return GENERATORS[name]
    except KeyError:
        known = ", ".join(GENERATORS)
        raise InvalidChoice(f"Unknown generator {name!r}. Choose one of: {known}.") from None
