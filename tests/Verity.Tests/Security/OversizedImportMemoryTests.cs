using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Verity.Data;
using Verity.Items;
using Verity.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Verity.Tests.Security;

/// <summary>
/// Issue 11, item 6: four imports of one 29 MB line each (a 29 MB metadata field) once took the server from 169 MB to
/// 1.1 GB. Now each line is skipped as it streams past. The server runs in this process, so the managed heap measured
/// here is the server's (and the test's, which makes its bodies as they are read); the collection runs alone, so no
/// other test allocates meanwhile.
/// </summary>
[Collection(OversizedImportCollection.Name)]
public sealed class OversizedImportMemoryTests(ITestOutputHelper output)
{
    private const int Attacks = 4;
    private const int LineBytes = 29_000_000;
    private const long MiB = 1024 * 1024;

    [Theory]
    [Databases]
    public async Task four_concurrent_29_mb_metadata_lines_are_refused_naming_the_line_and_the_heap_stays_flat(DatabaseProvider provider)
    {
        await using var server = await VerityServer.StartAsync(provider);
        var (_, requester) = await server.AddUserAsync("req", Roles.Requester);
        var projectId = await requester.CreateProjectAsync();
        // A first import of each shape, so what is compiled or cached once is not counted as growth.
        (await requester.ImportAsync(projectId, [Api.ItemLine("warm")])).EnsureSuccessStatusCode();
        (await ImportHugeAsync(requester, projectId, "warm-huge", 9_000_000)).StatusCode.ShouldBe(HttpStatusCode.BadRequest);

        var before = Settled();
        long peak = 0;
        using var stop = new CancellationTokenSource();
        // Sampled without collecting, so garbage not yet collected counts too: a bound on the peak, not only on what is kept.
        var sampler = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                peak = Math.Max(peak, GC.GetTotalMemory(forceFullCollection: false));
                await Task.Delay(2, CancellationToken.None);
            }
        });
        var responses = await Task.WhenAll(Enumerable.Range(1, Attacks).Select(n => ImportHugeAsync(requester, projectId, $"huge-{n}", LineBytes)));
        await stop.CancelAsync();
        await sampler;
        var after = Settled();

        var peakGrowth = (peak - before) / MiB;
        var keptGrowth = (after - before) / MiB;
        output.WriteLine($"{Attacks} × {LineBytes / MiB} MiB lines: managed heap {before / MiB} MiB before, peak +{peakGrowth} MiB, +{keptGrowth} MiB after a full collection");
        foreach (var response in responses)
        {
            response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
            problem.GetProperty("errors").GetProperty("line 1")[0].GetString().ShouldBe($"longer than {ItemImporter.MaxLineBytes:N0} bytes; it was not read");
        }
        (await server.QueryAsync(db => db.Items.CountAsync())).ShouldBe(1, "only the warm-up item is stored");

        // Holding the lines alone would take 4 × 29 MB as bytes and twice that as strings (about 330 MiB), before any parsing.
        peakGrowth.ShouldBeLessThan(150, "the lines are skipped as they stream past, never held");
        keptGrowth.ShouldBeLessThan(16, "nothing of the attack stays behind");
    }

    private static Task<HttpResponseMessage> ImportHugeAsync(HttpClient requester, Guid projectId, string externalId, int lineBytes)
    {
        var head = $"{{\"externalId\":\"{externalId}\",\"prompt\":\"p\",\"responses\":[{{\"id\":\"a\",\"text\":\"a\"}},{{\"id\":\"b\",\"text\":\"b\"}}],\"metadata\":{{\"blob\":\"";
        const string Tail = "\"}}\n";
        var body = new StreamContent(new BadInputTests.HugeLineStream(head, lineBytes - head.Length - Tail.Length, Tail), 64 * 1024);
        body.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/jsonl");
        return requester.PostAsync($"/api/v1/projects/{projectId}/items", body);
    }

    private static long Settled()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        return GC.GetTotalMemory(forceFullCollection: true);
    }
}

/// <summary>Runs alone, after the parallel tests, so the heap it measures is not another test's.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class OversizedImportCollection
{
    public const string Name = "oversized-import-memory";
}
