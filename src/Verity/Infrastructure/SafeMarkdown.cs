using Markdig;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;
using Microsoft.AspNetCore.Html;

namespace Verity.Infrastructure;

/// <summary>
/// Renders untrusted Markdown (model responses, prompts, guidelines). Raw HTML is escaped by Markdig, and
/// link and image targets are kept only for schemes that cannot run code.
/// </summary>
internal static class SafeMarkdown
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder()
        .UsePipeTables()
        .UseEmphasisExtras()
        .UseTaskLists()
        .DisableHtml()
        .Build();

    private static readonly string[] SafeSchemes = ["http", "https", "mailto"];

    public static HtmlString Render(string markdown)
    {
        var document = Markdown.Parse(markdown, Pipeline);
        foreach (var link in document.Descendants<LinkInline>())
        {
            if (!IsSafe(link.Url))
                link.Url = "#unsafe-link-removed";
        }

        foreach (var link in document.Descendants<AutolinkInline>())
        {
            if (!IsSafe(link.Url))
                link.Url = "#unsafe-link-removed";
        }

        return new HtmlString(document.ToHtml(Pipeline));
    }

    private static bool IsSafe(string? url)
    {
        if (string.IsNullOrWhiteSpace(url))
            return true;
        // Browsers ignore control characters and whitespace inside a scheme ("java\tscript:"), so strip them first.
        var compact = new string(url.Where(c => !char.IsControl(c) && !char.IsWhiteSpace(c)).ToArray());
        var colon = compact.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0)
            return true;
        var slash = compact.IndexOfAny(['/', '?', '#']);
        if (slash >= 0 && slash < colon)
            return true; // a relative path whose later part has a colon
        return SafeSchemes.Contains(compact[..colon].ToLowerInvariant(), StringComparer.Ordinal);
    }
}
