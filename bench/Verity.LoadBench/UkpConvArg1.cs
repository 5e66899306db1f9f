using System.Text.Json;
using Verity.Quality;

namespace Verity.LoadBench;

/// <summary>One compared pair: the debate question, the two argument texts, and the authors' gold label (null when none).</summary>
internal sealed record UkpPair(string Id, string Debate, string First, string Second, string? Gold);

/// <summary>One real crowd judgement: who judged which pair, the label (a1, a2 or equal) and the written reason.</summary>
internal sealed record UkpJudgement(string Pair, string Worker, string Label, string Reason);

/// <summary>UKPConvArg1 (data/ukpconvarg1) as pairs and the judgements made on them.</summary>
internal sealed record UkpConvArg1(List<UkpPair> Pairs, List<UkpJudgement> Judgements)
{
    /// <summary>Reads the first <paramref name="limitPairs"/> pairs of pairs.csv (all when null) and every judgement on them.</summary>
    public static UkpConvArg1 Load(string dataDirectory, int? limitPairs)
    {
        var folder = Path.Combine(dataDirectory, "ukpconvarg1");
        if (!Directory.Exists(folder))
            throw new InvalidOperationException($"{Path.GetFullPath(folder)} does not exist: pass --data with the folder that holds ukpconvarg1/ (the repository's data/ by default).");

        var arguments = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in File.ReadLines(Path.Combine(folder, "arguments.jsonl")))
        {
            using var document = JsonDocument.Parse(line);
            arguments[document.RootElement.GetProperty("id").GetString()!] = document.RootElement.GetProperty("text").GetString()!;
        }

        var pairs = new List<UkpPair>();
        var csv = CsvReader.Open(Path.Combine(folder, "pairs.csv"));
        var p = csv.ReadHeader("pair", "debate", "arg1", "arg2", "gold");
        while (pairs.Count < (limitPairs ?? int.MaxValue) && csv.Read())
        {
            csv.RequireColumns(p);
            var gold = csv[p[4]].ToString();
            pairs.Add(new UkpPair(
                csv[p[0]].ToString(), csv[p[1]].ToString(), arguments[csv[p[2]].ToString()], arguments[csv[p[3]].ToString()],
                gold.Length == 0 ? null : gold));
        }

        var wanted = pairs.Select(x => x.Id).ToHashSet(StringComparer.Ordinal);
        var judgements = new List<UkpJudgement>();
        csv = CsvReader.Open(Path.Combine(folder, "annotations.csv"));
        var a = csv.ReadHeader("pair", "worker", "label", "reason");
        while (csv.Read())
        {
            csv.RequireColumns(a);
            var pair = csv[a[0]].ToString();
            if (wanted.Contains(pair))
                judgements.Add(new UkpJudgement(pair, csv[a[1]].ToString(), csv[a[2]].ToString(), csv[a[3]].ToString()));
        }

        return new UkpConvArg1(pairs, judgements);
    }

    /// <summary>The dataset's labels in Verity's terms: the response ids a1 and a2 are kept, equal is a tie.</summary>
    public static string ToVerity(string label) => label == "equal" ? "tie" : label;
}
