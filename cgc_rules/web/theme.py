"""The municipality's colours from its profile, as NL Design System token overrides with AA contrast."""

from __future__ import annotations


def _luminance(colour: str) -> float:
    def channel(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.03928 else ((s + 0.055) / 1.055) ** 2.4

    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: str, b: str) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def readable(colour: str, background: str = "#FFFFFF", ratio: float = 4.5) -> str:
    """`colour`, darkened step by step until text in it reaches `ratio` against `background` (WCAG AA)."""
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    while contrast(f"#{r:02X}{g:02X}{b:02X}", background) < ratio:
        r, g, b = int(r * 0.9), int(g * 0.9), int(b * 0.9)
    return f"#{r:02X}{g:02X}{b:02X}"


def css(primary: str, accent: str) -> str:
    """Token overrides for `.utrecht-theme`: buttons, links, headings and the page header in house colours."""
    p, a = readable(primary), readable(accent)
    tokens = {
        "--utrecht-button-primary-action-background-color": p,
        "--utrecht-button-primary-action-hover-background-color": readable(p, ratio=7),
        "--utrecht-button-primary-action-color": "#FFFFFF",
        "--utrecht-button-secondary-action-color": p,
        "--utrecht-button-secondary-action-border-color": p,
        "--utrecht-link-color": p,
        "--utrecht-link-visited-color": p,
        "--utrecht-link-hover-color": a,
        "--utrecht-heading-color": p,
        "--utrecht-focus-outline-color": "#000000",
        "--cgc-primary": p,
        "--cgc-accent": a,
    }
    return ".utrecht-theme {\n" + "".join(f"  {k}: {v};\n" for k, v in tokens.items()) + "}\n"
