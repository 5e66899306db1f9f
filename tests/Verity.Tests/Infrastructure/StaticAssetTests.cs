using System.IO.Compression;
using System.Net;
using System.Text.RegularExpressions;
using Verity.Data;

namespace Verity.Tests.Infrastructure;

public sealed partial class StaticAssetTests
{
    [Fact]
    public async Task pages_link_fingerprinted_assets_served_compressed_and_cached_for_a_year()
    {
        await using var server = await VerityServer.StartAsync(DatabaseProvider.Sqlite);
        using var client = new HttpClient(new HttpClientHandler { AutomaticDecompression = DecompressionMethods.None }) { BaseAddress = server.BaseAddress };
        var login = await client.GetStringAsync("/login");
        var href = Stylesheet().Match(login).Groups["href"].Value;
        href.ShouldMatch(@"^/assets/app\.[0-9a-f]{10}\.css$");

        using var brotli = new HttpRequestMessage(HttpMethod.Get, href);
        brotli.Headers.AcceptEncoding.ParseAdd("gzip, deflate, br");
        var response = await client.SendAsync(brotli);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentEncoding.ShouldBe(["br"]);
        response.Headers.CacheControl!.MaxAge.ShouldBe(TimeSpan.FromDays(365));
        response.Headers.CacheControl.Public.ShouldBeTrue();
        response.Headers.Vary.ShouldContain("Accept-Encoding");
        var compressed = await response.Content.ReadAsByteArrayAsync();
        await using var decoded = new BrotliStream(new MemoryStream(compressed), CompressionMode.Decompress);
        var css = await new StreamReader(decoded).ReadToEndAsync();
        css.ShouldContain("prefers-color-scheme");
        compressed.Length.ShouldBeLessThan(css.Length / 2);

        using var gzip = new HttpRequestMessage(HttpMethod.Get, href);
        gzip.Headers.AcceptEncoding.ParseAdd("gzip");
        (await client.SendAsync(gzip)).Content.Headers.ContentEncoding.ShouldBe(["gzip"]);
        var identity = await client.GetAsync(href);
        identity.Content.Headers.ContentEncoding.ShouldBeEmpty();
        (await identity.Content.ReadAsStringAsync()).ShouldBe(css);

        // The plain name still answers, but must be revalidated; an unchanged copy costs a 304.
        var plain = await client.GetAsync("/assets/app.css");
        plain.Headers.CacheControl!.NoCache.ShouldBeTrue();
        using var again = new HttpRequestMessage(HttpMethod.Get, "/assets/app.css");
        again.Headers.IfNoneMatch.Add(plain.Headers.ETag!);
        (await client.SendAsync(again)).StatusCode.ShouldBe(HttpStatusCode.NotModified);
        (await client.GetAsync("/assets/app.0000000000.css")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [GeneratedRegex("<link rel=\"stylesheet\" href=\"(?<href>[^\"]+)\"", RegexOptions.ExplicitCapture, 1000)]
    private static partial Regex Stylesheet();
}
