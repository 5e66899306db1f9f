using System.Runtime.CompilerServices;
using System.Text;

namespace Verity.Items;

/// <summary>One line of a JSON Lines file: its text, or why it cannot be read.</summary>
internal readonly record struct JsonlLine(int Number, string? Text, string? Problem);

/// <summary>
/// Splits a stream into lines without trusting it: a line longer than the limit is skipped as it streams past (never
/// held in memory), and bytes that are not UTF-8 are refused rather than turned into U+FFFD.
/// </summary>
internal static class JsonlLines
{
    private static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static async IAsyncEnumerable<JsonlLine> ReadAsync(Stream stream, int maxLineBytes, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var buffer = new byte[64 * 1024];
        using var line = new MemoryStream();
        var oversized = false;
        var number = 0;
        int read;
        while ((read = await stream.ReadAsync(buffer, cancellationToken)) > 0)
        {
            var start = 0;
            while (start < read)
            {
                var newline = buffer.AsSpan(start, read - start).IndexOf((byte)'\n');
                var end = newline < 0 ? read : start + newline;
                if (!oversized && line.Length + (end - start) > maxLineBytes)
                {
                    oversized = true;
                    line.SetLength(0);
                }

                if (!oversized)
                    line.Write(buffer, start, end - start);
                if (newline < 0)
                    break;
                yield return Finish(++number, line, ref oversized, maxLineBytes);
                start = end + 1;
            }
        }

        if (line.Length > 0 || oversized)
            yield return Finish(++number, line, ref oversized, maxLineBytes);
    }

    private static JsonlLine Finish(int number, MemoryStream line, ref bool oversized, int maxLineBytes)
    {
        if (oversized)
        {
            oversized = false;
            return new JsonlLine(number, null, $"longer than {maxLineBytes:N0} bytes; it was not read");
        }

        var bytes = line.GetBuffer().AsSpan(0, (int)line.Length);
        if (number == 1 && bytes.StartsWith("\uFEFF"u8))
            bytes = bytes[3..];
        if (bytes.EndsWith("\r"u8))
            bytes = bytes[..^1];
        try
        {
            return new JsonlLine(number, Strict.GetString(bytes), null);
        }
        catch (DecoderFallbackException e)
        {
            return new JsonlLine(number, null, $"is not valid UTF-8 (at byte {e.Index})");
        }
        finally
        {
            line.SetLength(0);
        }
    }
}
