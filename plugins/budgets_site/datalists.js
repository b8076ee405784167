(function () {
  const lists = %s;
  for (const [name, options] of Object.entries(lists)) {
    const inputs = document.querySelectorAll('form input[name="' + name + '"]:not([list])');
    if (!inputs.length) continue;
    const list = document.createElement('datalist');
    list.id = 'choices-' + name;
    for (const [value, label] of options) {
      const option = document.createElement('option');
      option.value = value; option.label = label; list.appendChild(option);
    }
    document.body.appendChild(list);
    inputs.forEach(input => input.setAttribute('list', list.id));
  }
  const empty = document.querySelector('.zero-results, p.zero-results');
  const filled = Array.from(document.querySelectorAll('form input[type=text]')).filter(i => i.value).map(i => i.value);
  if (filled.length && !document.querySelector('table.rows-and-columns tbody tr')) {
    const note = document.createElement('p');
    note.className = 'nothing-matched';
    note.textContent = '没有匹配的结果 · nothing matched “' + filled.join('”, “') + '”: the parameters take a code, a name or part of one (pick from the list)';
    const form = document.querySelector('form.sql, form');
    form && form.after(note);
  }
})();
