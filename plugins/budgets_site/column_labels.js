(function () {
  const labels = %s;
  document.querySelectorAll('table.rows-and-columns thead th').forEach(th => {
    const name = th.textContent.trim();
    if (!labels[name]) return;
    th.textContent = '';
    const label = document.createElement('span');
    label.className = 'column-label';
    label.textContent = labels[name];
    const code = document.createElement('span');
    code.className = 'code';
    code.textContent = name;
    th.append(label, document.createElement('br'), code);
    th.title = name;
  });
})();
