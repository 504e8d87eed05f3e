from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntakeConfig(AppConfig):
    name = "intake"
    verbose_name = _("Patient intake")

    def ready(self):
        # The catalog's reference patients hold answers in the contract's
        # codes; the contract's parser checks them when staff save one.
        from therapies.models import ANSWER_CHECKS

        from .reference import check_reference_answers

        if check_reference_answers not in ANSWER_CHECKS:
            ANSWER_CHECKS.append(check_reference_answers)
