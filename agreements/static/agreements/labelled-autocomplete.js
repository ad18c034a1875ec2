'use strict';
// The admin's multiple-choice search fields (select2), named for assistive technology.
// select2 hides the <select> that the field's <label> names and shows a combobox and a
// search field of its own with no name; and it points the open combobox at its list with
// aria-owns only, where ARIA 1.2 asks for aria-controls. Loaded after the admin's
// autocomplete.js, so that its pickers exist when this runs.
{
    const $ = django.jQuery;

    function name(select) {
        const label = document.querySelector(`label[for="${select.id}"]`);
        const picker = $(select).data('select2');
        if (!label || !picker) {
            return;
        }
        label.id ||= `${select.id}_label`;
        const combobox = picker.$container[0].querySelector('.select2-selection');
        const search = picker.$container[0].querySelector('.select2-search__field');
        for (const control of [combobox, search]) {
            control.setAttribute('aria-labelledby', label.id);
        }
        const help = select.getAttribute('aria-describedby');
        if (help) {
            search.setAttribute('aria-describedby', help);
        }
        $(select).on('select2:open', () => {
            combobox.setAttribute('aria-controls', combobox.getAttribute('aria-owns'));
        });
        $(select).on('select2:close', () => combobox.removeAttribute('aria-controls'));
    }

    $(function() {
        $('select.admin-autocomplete[multiple]').not('[name*=__prefix__]').each((i, select) => name(select));
    });

    document.addEventListener('formset:added', (event) => {
        $(event.target).find('select.admin-autocomplete[multiple]').each((i, select) => name(select));
    });
}
