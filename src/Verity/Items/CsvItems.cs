using System.Text;
using System.Text.Json;
using Verity.Core;
using Verity.Quality;

namespace Verity.Items;

/// <summary>
/// Turns a CSV upload into the import's JSON Lines, one line per record, so a CSV is checked exactly like JSONL. Columns:
/// <c>externalId</c>, <c>prompt</c>, optional <c>reference</c>, one <c>response:ID</c> per response (an empty cell is no
/// response), and any other column as a metadata string. Gold and scores need JSONL.
/// </summary>
internal static class CsvItems
{
    private const string ResponsePrefix = "response:";

    /// <summary>The records of <paramref name="csv"/> as JSON Lines, ready for the import.</summary>
    /// <param name="csv">The whole upload.</param>
    /// <param name="lines">For each JSON line (1-based, the import's numbering), the CSV line its record starts on.</param>
    public static MemoryStream ToJsonl(string csv, out IReadOnlyList<int> lines)
    {
        var reader = CsvReader.FromText("upload", csv);
        if (!reader.Read())
            throw ValidationException.For("file", "is empty: a CSV needs a header with externalId and prompt.");
        var header = Enumerable.Range(0, reader.FieldCount).Select(i => reader[i].Trim().ToString()).ToArray();
        foreach (var required in new[] { "externalId", "prompt" })
        {
            if (!header.Contains(required, StringComparer.OrdinalIgnoreCase))
                throw ValidationException.For("line 1", $"the header has no {required} column (expected externalId, prompt, response:ID…, reference).");
        }

        var output = new MemoryStream();
        var numbers = new List<int>();
        while (reader.Read())
        {
            if (reader.FieldCount != header.Length)
                throw ValidationException.For($"line {reader.Line}", $"has {reader.FieldCount} fields where the header has {header.Length}.");
            using (var writer = new Utf8JsonWriter(output))
            {
                writer.WriteStartObject();
                var responses = new List<(string Id, string Text)>();
                var metadata = new List<(string Name, string Value)>();
                for (var i = 0; i < header.Length; i++)
                {
                    var value = reader[i].ToString();
                    var name = header[i];
                    if (name.Equals("externalId", StringComparison.OrdinalIgnoreCase) || name.Equals("prompt", StringComparison.OrdinalIgnoreCase) || name.Equals("reference", StringComparison.OrdinalIgnoreCase))
                    {
                        if (value.Length > 0 || !name.Equals("reference", StringComparison.OrdinalIgnoreCase))
                            writer.WriteString(name.Equals("externalId", StringComparison.OrdinalIgnoreCase) ? "externalId" : name.ToLowerInvariant(), value);
                    }
                    else if (name.StartsWith(ResponsePrefix, StringComparison.OrdinalIgnoreCase))
                    {
                        if (value.Length > 0)
                            responses.Add((name[ResponsePrefix.Length..], value));
                    }
                    else
                        metadata.Add((name, value));
                }

                writer.WriteStartArray("responses");
                foreach (var (id, text) in responses)
                {
                    writer.WriteStartObject();
                    writer.WriteString("id", id);
                    writer.WriteString("text", text);
                    writer.WriteEndObject();
                }

                writer.WriteEndArray();
                if (metadata.Count > 0)
                {
                    writer.WriteStartObject("metadata");
                    foreach (var (name, value) in metadata)
                        writer.WriteString(name, value);
                    writer.WriteEndObject();
                }

                writer.WriteEndObject();
            }

            output.WriteByte((byte)'\n');
            numbers.Add(reader.Line);
        }

        lines = numbers;
        output.Position = 0;
        return output;
    }

    /// <summary>The import's errors with "line N" of the JSON Lines turned back into the CSV's own line numbers.</summary>
    public static ValidationException OnCsvLines(ValidationException e, IReadOnlyList<int> lines) =>
        new(e.Errors.ToDictionary(
            x => x.Key.StartsWith("line ", StringComparison.Ordinal) && int.TryParse(x.Key.AsSpan(5), System.Globalization.CultureInfo.InvariantCulture, out var n) && n >= 1 && n <= lines.Count
                ? $"line {lines[n - 1]}" : x.Key,
            x => x.Value,
            StringComparer.Ordinal));

    /// <summary>Reads an upload as text, refusing bytes that are not UTF-8 as the JSONL import does.</summary>
    public static async Task<string> ReadTextAsync(Stream stream, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(stream, new UTF8Encoding(false, throwOnInvalidBytes: true));
        try
        {
            return await reader.ReadToEndAsync(cancellationToken);
        }
        catch (DecoderFallbackException)
        {
            throw ValidationException.For("file", "is not UTF-8 text.");
        }
    }
}
