using System.Text.Json;

namespace Verity.LoadBench;

/// <summary>
/// Import lines built from UKPConvArg1 (data/ukpconvarg1): the debate question as the prompt and the two
/// compared arguments as responses, so the server stores and serves texts of realistic length.
/// </summary>
internal static class PairwiseItems
{
    public static List<string> Load(string dataDirectory, int count)
    {
        var folder = Path.Combine(dataDirectory, "ukpconvarg1");
        if (!Directory.Exists(folder))
            throw new InvalidOperationException($"{Path.GetFullPath(folder)} does not exist: pass --data with the folder that holds ukpconvarg1/ (the repository's data/ by default).");

        var arguments = new Dictionary<string, (string Debate, string Text)>(StringComparer.Ordinal);
        foreach (var line in File.ReadLines(Path.Combine(folder, "arguments.jsonl")))
        {
            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            arguments[root.GetProperty("id").GetString()!] = (root.GetProperty("debate").GetString()!, root.GetProperty("text").GetString()!);
        }

        var lines = new List<string>(count);
        foreach (var row in File.ReadLines(Path.Combine(folder, "pairs.csv")).Skip(1))
        {
            if (lines.Count == count)
                break;

            // pair,debate,arg1,arg2,gold: the debate may be a quoted field with commas, the last three never are.
            var fields = row.Split(',');
            var pair = fields[0];
            var (debate, first) = arguments[fields[^3]];
            var second = arguments[fields[^2]].Text;
            lines.Add(JsonSerializer.Serialize(new
            {
                externalId = pair,
                prompt = $"{debate}: which argument is more convincing?",
                responses = new[] { new { id = "a", text = first }, new { id = "b", text = second } },
                metadata = new { source = "UKPConvArg1", debate },
            }));
        }

        if (lines.Count < count)
            throw new InvalidOperationException($"UKPConvArg1 has only {lines.Count} pairs; ask for at most that many --items.");
        return lines;
    }
}
