using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Html;

namespace Verity.Quality;

/// <summary>One named line of a chart; a null value leaves a gap (an undefined coefficient).</summary>
public sealed record ChartSeries(string Name, IReadOnlyList<double?> Values);

/// <summary>
/// Small server-rendered SVG charts. The content security policy forbids inline styles and scripts, so charts are
/// plain markup styled by classes in app.css. Numbers are written invariantly (a comma decimal would break the
/// path), and every text is HTML-encoded here because the result is emitted as markup.
/// </summary>
public static class Svg
{
    private const int Width = 640;
    private const int Height = 280;
    private const int Left = 60;
    private const int Right = 12;
    private const int Top = 16;
    private const int Bottom = 84;

    /// <summary>Lines over shared x labels, with the y axis from <paramref name="min"/> to <paramref name="max"/>; both axes titled, every x label drawn.</summary>
    public static IHtmlContent LineChart(string title, string xTitle, string yTitle, IReadOnlyList<string> xLabels, IReadOnlyList<ChartSeries> series, double min, double max)
    {
        var svg = Open(title, "line-chart");
        Axes(svg, min, max, xTitle, yTitle);
        var n = xLabels.Count;
        double X(int i) => Left + (n <= 1 ? (Width - Left - Right) / 2.0 : i * (Width - Left - Right) / (double)(n - 1));
        for (var s = 0; s < series.Count; s++)
        {
            var path = new StringBuilder();
            var pen = 'M';
            for (var i = 0; i < series[s].Values.Count && i < n; i++)
            {
                if (series[s].Values[i] is not { } value || double.IsNaN(value))
                {
                    pen = 'M';
                    continue;
                }
                var y = Y(Math.Clamp(value, min, max), min, max);
                path.Append(pen).Append(Num(X(i))).Append(' ').Append(Num(y)).Append(' ');
                svg.Append($"""<circle class="chart-point series-{s % 6}" cx="{Num(X(i))}" cy="{Num(y)}" r="3"><title>{Encode(series[s].Name)} · {Encode(xLabels[i])}: {Num(value)}</title></circle>""");
                pen = 'L';
            }
            if (path.Length > 0)
                svg.Append($"""<path class="chart-line series-{s % 6}" d="{path.ToString().TrimEnd()}"><title>{Encode(series[s].Name)}</title></path>""");
        }
        XLabels(svg, xLabels, X);
        return Close(svg);
    }

    /// <summary>Vertical bars, one per bin: every bin labelled below and its count written above the bar; both axes titled.</summary>
    public static IHtmlContent BarChart(string title, string xTitle, string yTitle, IReadOnlyList<string> binLabels, IReadOnlyList<int> counts)
    {
        var svg = Open(title, "bar-chart");
        var max = Math.Max(1, counts.Count == 0 ? 1 : counts.Max());
        Axes(svg, 0, max, xTitle, yTitle);
        var n = Math.Max(1, counts.Count);
        var slot = (Width - Left - Right) / (double)n;
        for (var i = 0; i < counts.Count; i++)
        {
            var y = Y(counts[i], 0, max);
            svg.Append($"""<rect class="chart-bar" x="{Num(Left + i * slot + 1)}" y="{Num(y)}" width="{Num(Math.Max(1, slot - 2))}" height="{Num(Height - Bottom - y)}"><title>{Encode(binLabels[i])}: {counts[i].ToString(CultureInfo.InvariantCulture)}</title></rect>""");
            svg.Append($"""<text class="chart-label bar-count" x="{Num(Left + (i + 0.5) * slot)}" y="{Num(y - 4)}" text-anchor="middle">{counts[i].ToString(CultureInfo.InvariantCulture)}</text>""");
        }
        XLabels(svg, binLabels, i => Left + (i + 0.5) * slot);
        return Close(svg);
    }

    /// <summary>A number as SVG and people read it: invariant, at most three decimals.</summary>
    public static string Num(double value) => Math.Round(value, 3).ToString("0.###", CultureInfo.InvariantCulture);

    private static StringBuilder Open(string title, string kind) =>
        new($"""<svg class="chart {kind}" viewBox="0 0 {Width} {Height}" role="img" aria-label="{Encode(title)}"><title>{Encode(title)}</title>""");

    private static HtmlString Close(StringBuilder svg) => new(svg.Append("</svg>").ToString());

    private static double Y(double value, double min, double max) =>
        Top + (max == min ? 0.5 : (max - value) / (max - min)) * (Height - Top - Bottom);

    private static void Axes(StringBuilder svg, double min, double max, string xTitle, string yTitle)
    {
        svg.Append($"""<text class="chart-title x-title" x="{Num(Left + (Width - Left - Right) / 2.0)}" y="{Height - 6}" text-anchor="middle">{Encode(xTitle)}</text>""");
        svg.Append($"""<text class="chart-title y-title" x="{Num(-(Top + (Height - Top - Bottom) / 2.0))}" y="14" transform="rotate(-90)" text-anchor="middle">{Encode(yTitle)}</text>""");
        svg.Append($"""<line class="chart-axis" x1="{Left}" y1="{Top}" x2="{Left}" y2="{Height - Bottom}"/>""");
        svg.Append($"""<line class="chart-axis" x1="{Left}" y1="{Height - Bottom}" x2="{Width - Right}" y2="{Height - Bottom}"/>""");
        foreach (var tick in new[] { min, (min + max) / 2, max })
            svg.Append($"""<text class="chart-label" x="{Left - 6}" y="{Num(Y(tick, min, max) + 4)}" text-anchor="end">{Num(tick)}</text>""");
    }

    private static void XLabels(StringBuilder svg, IReadOnlyList<string> labels, Func<int, double> x)
    {
        // Every label is drawn; past eight they are slanted so that neighbours do not overlap.
        var slanted = labels.Count > 8;
        var y = Height - Bottom + 16;
        for (var i = 0; i < labels.Count; i++)
        {
            svg.Append(slanted
                ? $"""<text class="chart-label x-label" x="{Num(x(i))}" y="{y}" text-anchor="end" transform="rotate(-40 {Num(x(i))} {y})">{Encode(labels[i])}</text>"""
                : $"""<text class="chart-label x-label" x="{Num(x(i))}" y="{y}" text-anchor="middle">{Encode(labels[i])}</text>""");
        }
    }

    private static string Encode(string text) => HtmlEncoder.Default.Encode(text);
}
