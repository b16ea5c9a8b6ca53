"""Form widgets shared by the apps."""

from django import forms


class ChoiceFilterWidget(forms.CheckboxSelectMultiple):
    """Many choices as checkboxes in groups (optgroups), with large hit areas and a box that
    narrows the list when JavaScript runs; core/_form.html folds it into a <details>.

    The form still sends name=A&name=B, as a multiple select would.
    """

    template_name = "core/widgets/choice_filter.html"
