"""Executed notebooks' pages lose the loaders nbconvert's template writes into them."""

from handbook.notebook_scripts import without_remote_loaders

PAGE = """<h1>Lab</h1>
<!-- Load mathjax -->
<script src=""> </script>
<!-- MathJax configuration -->
<script type="text/x-mathjax-config">init_mathjax();</script>
<!-- End of mathjax configuration --><script type="module">
  const diagrams = document.querySelectorAll(".jp-Mermaid > pre.mermaid");
  const mermaid = (await import("https://cdn.example/mermaid.mjs")).default;
</script>
<script>keep();</script>
<p>figures</p>"""


def test_the_mathjax_loader_and_the_mermaid_module_go_and_nothing_else() -> None:
    cleaned = without_remote_loaders(PAGE)

    assert "mathjax" not in cleaned.lower()
    assert "mermaid" not in cleaned
    assert cleaned == "<h1>Lab</h1>\n\n<script>keep();</script>\n<p>figures</p>"
