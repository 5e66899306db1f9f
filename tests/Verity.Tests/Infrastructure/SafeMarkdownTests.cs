using Verity.Infrastructure;

namespace Verity.Tests.Infrastructure;

public sealed class SafeMarkdownTests
{
    [Theory]
    [InlineData("<script>alert(1)</script>", "&lt;script&gt;")]
    [InlineData("<img src=x onerror=alert(1)>", "&lt;img src=x onerror=alert(1)&gt;")]
    [InlineData("[x](javascript:alert(1))", "href=\"#unsafe-link-removed\"")]
    [InlineData("[x](&#106;avascript:alert(1))", "href=\"#unsafe-link-removed\"")]
    [InlineData("[x](&#x0A;javascript:alert(1))", "href=\"#unsafe-link-removed\"")]
    [InlineData("[x](data:text/html;base64,PHNjcmlwdD4=)", "href=\"#unsafe-link-removed\"")]
    [InlineData("![x](vbscript:msgbox)", "src=\"#unsafe-link-removed\"")]
    [InlineData("<javascript:alert(1)>", "href=\"#unsafe-link-removed\"")]
    public void dangerous_markup_is_escaped_or_disarmed(string markdown, string expected)
    {
        var html = SafeMarkdown.Render(markdown).Value!;
        html.ShouldContain(expected);
        html.ShouldNotContain("<script", Case.Insensitive);
        html.ShouldNotContain("<img src=x", Case.Insensitive);
    }

    [Theory]
    [InlineData("[docs](https://example.org/a:b)", "href=\"https://example.org/a:b\"")]
    [InlineData("[rel](/items/1?x=a:b)", "href=\"/items/1?x=a:b\"")]
    [InlineData("[mail](mailto:a@example.org)", "href=\"mailto:a@example.org\"")]
    [InlineData("```python\nprint('<b>')\n```", "<pre><code class=\"language-python\">print('&lt;b&gt;')")]
    public void ordinary_markdown_renders(string markdown, string expected)
    {
        SafeMarkdown.Render(markdown).Value!.ShouldContain(expected);
    }
}
