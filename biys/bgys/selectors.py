"""Reads of the BGYS module: framework summaries (the command line's ``frameworks list``, the
framework page), the measures a questionnaire makes applicable, the SoA lists."""

from django.db.models import Count

from biys.bgys.models import ApplicabilityEntry, Assessment, Framework, Measure, Section


def framework_summary(framework: Framework) -> dict:
    """Measures per level and per section (the top-level sections, with their sub-sections'
    measures), in two queries."""
    by_level = dict(
        Measure.objects.filter(framework=framework)
        .values_list("level")
        .annotate(n=Count("id"))
        .values_list("level", "n")
    )
    per_section = dict(
        Measure.objects.filter(framework=framework)
        .values_list("section__number")
        .annotate(n=Count("id"))
        .values_list("section__number", "n")
    )
    sections = list(
        Section.objects.filter(framework=framework).values_list("number", "title", "depth")
    )
    tops = {}
    for number, title, depth in sections:
        count = sum(
            n for key, n in per_section.items() if key == number or key.startswith(number + ".")
        )
        if depth <= 2:
            tops[number] = {"title": title, "measures": count}
    return {
        "slug": framework.slug,
        "version": framework.version,
        "name": framework.name,
        "licence": framework.licence,
        "attribution": framework.attribution,
        "measures": sum(by_level.values()),
        "per_level": {
            ("none" if level is None else str(level)): n
            for level, n in sorted(by_level.items(), key=lambda kv: (kv[0] is None, kv[0] or 0))
        },
        "per_section": tops,
        "asset_groups": framework.asset_groups.count(),
        "questions": framework.questions.count(),
    }


def frameworks_summary() -> list[dict]:
    return [
        framework_summary(framework) for framework in Framework.objects.order_by("slug", "version")
    ]


def sections_of(framework: Framework) -> list[Section]:
    return list(
        Section.objects.filter(framework=framework).annotate(measure_count=Count("measures"))
    )


def entries_for(assessment: Assessment, user):
    return (
        ApplicabilityEntry.objects.restrict(user, "view")
        .filter(assessment=assessment)
        .select_related("measure", "owner")
    )


def heat_map(risks, methodology, *, residual: bool = False) -> dict:
    """The likelihood × impact grid of ``risks`` (already narrowed to what the user may see) for
    one methodology, in one query: rows from the highest likelihood down, each cell with its
    count, score and whether the score is above the appetite."""
    likelihood, impact = (
        ("residual_likelihood", "residual_impact") if residual else ("likelihood", "impact")
    )
    counts = {
        (row[likelihood], row[impact]): row["n"]
        for row in risks.filter(methodology=methodology, **{f"{likelihood}__isnull": False})
        .order_by()
        .values(likelihood, impact)
        .annotate(n=Count("id"))
    }
    impacts = list(enumerate(methodology.impact_scale, start=1))
    rows = []
    for l_value, l_label in reversed(list(enumerate(methodology.likelihood_scale, start=1))):
        cells = []
        for i_value, _i_label in impacts:
            score = l_value * i_value
            cells.append(
                {
                    "likelihood": l_value,
                    "impact": i_value,
                    "score": score,
                    "count": counts.get((l_value, i_value), 0),
                    "above": methodology.above_appetite(score),
                }
            )
        rows.append({"value": l_value, "label": l_label, "cells": cells})
    return {
        "rows": rows,
        "impacts": impacts,
        "total": sum(counts.values()),
        "likelihood_param": likelihood,
        "impact_param": impact,
    }
