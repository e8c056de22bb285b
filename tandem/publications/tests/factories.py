from tandem.cultivation.tests.factories import cultivation_in


def compliant_authors(cast):
    """Trainee first with both institutions, tutor_b (first tutor) corresponding."""
    return [
        {
            "name": "Tina Trainee",
            "user": cast.trainee,
            "institutions": [cast.inst_a, cast.inst_b],
            "credit_roles": ["investigation", "writing_original_draft"],
        },
        {
            "name": "Tess Tutor",
            "user": cast.tutor_b,
            "institutions": [cast.inst_b],
            "is_corresponding": True,
            "credit_roles": ["supervision", "funding_acquisition"],
        },
        {
            "name": "Tom Tutor",
            "user": cast.tutor_a,
            "institutions": [cast.inst_a],
            "credit_roles": ["writing_review_editing"],
        },
    ]


def record(cast, *, cultivation=None, authors=None, actor=None, **bib):
    from tandem.publications.services import publication_record

    cultivation = cultivation or cultivation_in(cast, "active")
    values = {
        "title": "Hypoxia and radiosensitivity",
        "journal": "Chinese Journal of Cancer Research",
        "year": 2026,
        "doi": "10.21147/j.cjcr.2026.01",
    }
    values.update(bib)
    return publication_record(
        actor=actor or cast.trainee,
        cultivation=cultivation,
        authors=authors if authors is not None else compliant_authors(cast),
        **values,
    )
