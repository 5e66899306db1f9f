using System.IO.Compression;
using System.Security.Cryptography;
using Microsoft.Net.Http.Headers;

namespace Verity.Infrastructure;

/// <summary>
/// The stylesheet and scripts, read once from the assembly, fingerprinted by content and compressed ahead of time.
/// Pages link the fingerprinted name (<c>/assets/app.1a2b3c4d5e.css</c>), which browsers may keep for a year because a
/// changed file gets a new name; the plain name still answers, revalidated each time, for anything that typed it.
/// </summary>
public sealed class StaticAssets
{
    private const string Prefix = "Verity.Assets.";
    private readonly Dictionary<string, Asset> _byPath = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _urls = new(StringComparer.Ordinal);

    public StaticAssets()
    {
        var assembly = typeof(StaticAssets).Assembly;
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(Prefix, StringComparison.Ordinal)))
        {
            var name = resource[Prefix.Length..];
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            var bytes = buffer.ToArray();
            var hash = Convert.ToHexStringLower(SHA256.HashData(bytes))[..10];
            var asset = new Asset(bytes, Compress(bytes, s => new BrotliStream(s, CompressionLevel.SmallestSize)), Compress(bytes, s => new GZipStream(s, CompressionLevel.SmallestSize)),
                ContentType(name), $"\"{hash}\"");
            var fingerprinted = $"/assets/{Path.GetFileNameWithoutExtension(name)}.{hash}{Path.GetExtension(name)}";
            _byPath[fingerprinted] = asset with { Immutable = true };
            _byPath[$"/assets/{name}"] = asset;
            _urls[name] = fingerprinted;
        }
    }

    /// <summary>The fingerprinted address of an asset, for pages to link.</summary>
    public string Url(string name) => _urls.TryGetValue(name, out var url) ? url : throw new ArgumentException($"No asset {name}.", nameof(name));

    /// <summary>Answers a GET or HEAD for an asset in the best encoding the client accepts; anything else passes on.</summary>
    internal Task ServeAsync(HttpContext context, Func<Task> next)
    {
        var request = context.Request;
        if (!(HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method)) || !_byPath.TryGetValue(request.Path.Value ?? "", out var asset))
            return next();

        var response = context.Response;
        var headers = response.Headers;
        headers.ContentType = asset.ContentType;
        headers.ETag = asset.ETag;
        headers.Vary = HeaderNames.AcceptEncoding;
        headers.CacheControl = asset.Immutable ? "public, max-age=31536000, immutable" : "no-cache";
        if (request.Headers.IfNoneMatch == asset.ETag)
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            return Task.CompletedTask;
        }

        var accepted = request.GetTypedHeaders().AcceptEncoding.Where(e => e.Quality is not 0).Select(e => e.Value.Value).ToList();
        var (body, encoding) = accepted.Contains("br", StringComparer.OrdinalIgnoreCase) ? (asset.Brotli, "br")
            : accepted.Contains("gzip", StringComparer.OrdinalIgnoreCase) ? (asset.Gzip, "gzip")
            : (asset.Identity, null);
        if (encoding is not null)
            headers.ContentEncoding = encoding;
        response.ContentLength = body.Length;
        return HttpMethods.IsHead(request.Method) ? Task.CompletedTask : response.Body.WriteAsync(body, context.RequestAborted).AsTask();
    }

    private static byte[] Compress(byte[] bytes, Func<Stream, Stream> compressor)
    {
        using var output = new MemoryStream();
        using (var compressing = compressor(output))
            compressing.Write(bytes);
        return output.ToArray();
    }

    private static string ContentType(string name) => Path.GetExtension(name) switch
    {
        ".css" => "text/css; charset=utf-8",
        ".js" => "text/javascript; charset=utf-8",
        _ => "application/octet-stream",
    };

    private sealed record Asset(byte[] Identity, byte[] Brotli, byte[] Gzip, string ContentType, string ETag, bool Immutable = false);
}
