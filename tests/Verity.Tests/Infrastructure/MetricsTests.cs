using System.Net;
using System.Text.RegularExpressions;
using Verity.Data;

namespace Verity.Tests.Infrastructure;

public sealed partial class MetricsTests
{
    [Fact]
    public async Task an_admin_scrapes_leases_submissions_and_request_latencies_and_nobody_else_may()
    {
        await using var server = await VerityServer.StartAsync(DatabaseProvider.Sqlite);
        var (_, admin) = await server.AddUserAsync("ops", Roles.Admin);
        var (_, requester) = await server.AddUserAsync("req", Roles.Requester);
        var (_, annotator) = await server.AddUserAsync("ann", Roles.Annotator);
        var projectId = await requester.CreateProjectAsync(overlap: 1);
        (await requester.ImportAsync(projectId, [Api.ItemLine("q1")])).EnsureSuccessStatusCode();
        var task = (await annotator.NextAsync(projectId))!.Value;
        (await annotator.SubmitAsync(task.AssignmentId(), "a")).EnsureSuccessStatusCode();

        (await server.Client().GetAsync("/metrics")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await annotator.GetAsync("/metrics")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await requester.GetAsync("/metrics")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        var scrape = await admin.GetAsync("/metrics");
        scrape.StatusCode.ShouldBe(HttpStatusCode.OK);
        var text = await scrape.Content.ReadAsStringAsync();
        // Other servers in this test process count too (meters are found by name), so at least, not exactly.
        Sample(text, "verity_leases_total", "kind=\"real\"").ShouldBeGreaterThanOrEqualTo(1);
        Sample(text, "verity_submissions_total", "").ShouldBeGreaterThanOrEqualTo(1);
        text.ShouldContain("http_server_request_duration_seconds_bucket");
        text.ShouldContain("verity_sqlite_write_queue");
    }

    private static double Sample(string text, string name, string label)
    {
        var line = text.Split('\n').FirstOrDefault(l => l.StartsWith(name, StringComparison.Ordinal) && l.Contains(label, StringComparison.Ordinal));
        line.ShouldNotBeNull($"{name} {label} is in the scrape");
        return double.Parse(Value().Match(line).Groups["value"].Value, System.Globalization.CultureInfo.InvariantCulture);
    }

    [GeneratedRegex(@"\s(?<value>[0-9.eE+-]+)(\s\d+)?$", RegexOptions.ExplicitCapture, matchTimeoutMilliseconds: 1000)]
    private static partial Regex Value();
}
