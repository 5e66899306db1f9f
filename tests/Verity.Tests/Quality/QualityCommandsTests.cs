using System.Globalization;
using System.Text.Json;
using Verity.Cli;

namespace Verity.Tests.Quality;

public sealed class QualityCommandsTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("verity-quality-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Theory]
    [InlineData("mv")]
    [InlineData("ds")]
    [InlineData("ocds")]
    [InlineData("glad")]
    [InlineData("mace")]
    public async Task aggregate_writes_one_row_per_item_with_label_and_confidence(string method)
    {
        var input = Write("labels.csv", "item,worker,label,comment\na,w1,x,\"first, with comma\"\na,w2,x,\nb,w1,y,\nb,w2,y,\nb,w3,x,\n");
        var output = Path.Combine(_folder, "out.csv");

        var (code, stdout, stderr) = await Run("aggregate", "--input", input, "--method", method, "--out", output);

        code.ShouldBe(0, stderr);
        var lines = File.ReadAllLines(output);
        lines[0].ShouldBe("item,label,confidence");
        lines.Length.ShouldBe(3);
        lines[1].ShouldStartWith("a,x,");
        lines[2].ShouldStartWith("b,y,");
        double.Parse(lines[1].Split(',')[2], CultureInfo.InvariantCulture).ShouldBeInRange(0.5, 1);
        stdout.ShouldContain($"{method}: 2 items, 3 workers, 5 labels");
    }

    [Fact]
    public async Task aggregate_json_reports_accuracy_and_calibration_on_real_gold()
    {
        var set = RepositoryData.Crowd("act-CF");

        var (code, stdout, stderr) = await Run("aggregate", "--input", Path.Combine(set, "labels.csv"), "--gold", Path.Combine(set, "gold.csv"), "--method", "ds", "--json");

        code.ShouldBe(0, stderr);
        using var json = JsonDocument.Parse(stdout);
        var root = json.RootElement;
        root.GetProperty("method").GetString().ShouldBe("ds");
        root.GetProperty("items").GetInt32().ShouldBe(300);
        root.GetProperty("workers").GetInt32().ShouldBe(461);
        root.GetProperty("labels").GetInt32().ShouldBe(1720);
        root.GetProperty("iterations").GetInt32().ShouldBeGreaterThan(0);
        root.GetProperty("seconds").GetDouble().ShouldBeGreaterThanOrEqualTo(0);
        root.GetProperty("accuracy").GetDouble().ShouldBeGreaterThan(0.8);
        root.GetProperty("ece").GetDouble().ShouldBeInRange(0, 1);
    }

    [Fact]
    public async Task with_gold_the_text_summary_adds_accuracy_and_calibration()
    {
        var input = Write("labels.csv", "item,worker,label\na,w1,x\na,w2,x\nb,w1,y\nb,w2,x\n");
        var gold = Write("gold.csv", "item,label\na,x\nb,z\nc,x\n");

        var (code, stdout, _) = await Run("aggregate", "--input", input, "--gold", gold, "--method", "mv", "--out", Path.Combine(_folder, "out.csv"));

        code.ShouldBe(0);
        var lines = stdout.TrimEnd().Split(Environment.NewLine);
        lines.Length.ShouldBe(2);

        // Item a is right with confidence 1; b's gold class z was never given, so b is wrong (confidence 0.5).
        lines[1].ShouldBe("accuracy 0.5 on 2 gold items, expected calibration error 0.25");
    }

    [Fact]
    public async Task weighted_vote_reads_worker_weights_and_worker_file_lists_confusions()
    {
        var input = Write("labels.csv", "item,worker,label\na,w1,x\na,w2,y\na,w3,y\n");
        var weights = Write("weights.csv", "worker,weight\nw1,5\n");
        var output = Path.Combine(_folder, "out.csv");
        var workers = Path.Combine(_folder, "workers.csv");

        (await Run("aggregate", "--input", input, "--method", "wmv", "--weights", weights, "--out", output)).Code.ShouldBe(0);
        File.ReadAllLines(output)[1].ShouldBe("a,x,0.714286");

        (await Run("aggregate", "--input", input, "--method", "ds", "--out", output, "--workers", workers)).Code.ShouldBe(0);
        var rows = File.ReadAllLines(workers);
        rows[0].ShouldBe("worker,labels,skill,p(x|x),p(y|x),p(x|y),p(y|y)");
        rows.Length.ShouldBe(4);
    }

    [Fact]
    public async Task bradley_terry_writes_score_standard_error_and_rank()
    {
        var input = Write("pairs.csv", "worker,left,right,winner\nw1,a,b,a\nw2,a,b,a\nw1,b,c,b\nw2,a,c,tie\nw3,c,a,a\n");
        var output = Path.Combine(_folder, "scores.csv");

        foreach (var method in new[] { "bt", "nbt" })
        {
            var (code, stdout, stderr) = await Run("aggregate", "--input", input, "--method", method, "--out", output, "--json");

            code.ShouldBe(0, stderr);
            JsonDocument.Parse(stdout).RootElement.GetProperty("labels").GetInt32().ShouldBe(5);
            var lines = File.ReadAllLines(output);
            lines[0].ShouldBe("item,score,stderr,rank");
            lines.Length.ShouldBe(4);
            lines.Single(l => l.StartsWith("a,", StringComparison.Ordinal)).ShouldEndWith(",1");
        }
    }

    [Fact]
    public async Task agreement_prints_the_json_contract_with_a_bootstrap_interval()
    {
        var input = Write("ratings.csv", "item,worker,value\nu1,A,1\nu1,B,1\nu2,A,2\nu2,B,2\nu3,A,3\nu3,B,2\nu4,A,1\nu4,B,\nu5,A,3\nu5,B,3\n");

        var (code, stdout, stderr) = await Run("agreement", "--input", input, "--metric", "krippendorff", "--level", "interval", "--bootstrap", "200", "--seed", "3", "--json");

        code.ShouldBe(0, stderr);
        var root = JsonDocument.Parse(stdout).RootElement;
        root.GetProperty("metric").GetString().ShouldBe("krippendorff");
        root.GetProperty("level").GetString().ShouldBe("interval");
        root.GetProperty("value").GetDouble().ShouldBeInRange(0.5, 1);
        root.GetProperty("low").GetDouble().ShouldBeLessThanOrEqualTo(root.GetProperty("high").GetDouble());
        root.GetProperty("items").GetInt32().ShouldBe(5);
        root.GetProperty("raters").GetInt32().ShouldBe(2);
    }

    [Fact]
    public async Task agreement_prints_cohen_kappa_as_text()
    {
        var input = Write("ratings.csv", "item,worker,value\n1,A,yes\n1,B,yes\n2,A,no\n2,B,no\n3,A,yes\n3,B,no\n4,A,no\n4,B,no\n");

        var (code, stdout, _) = await Run("agreement", "--input", input, "--metric", "cohen");

        code.ShouldBe(0);
        stdout.ShouldStartWith("Cohen's kappa = 0.5;");
    }

    [Theory]
    [InlineData("item,label\na,x\n", 1, "missing column 'worker' in the header, expected item,worker,label")]
    [InlineData("", 1, "empty file, expected a header item,worker,label")]
    [InlineData("item,worker,label\na,w1,x\na,w2\n", 3, "expected 3 columns, found 2")]
    [InlineData("item,worker,label\n\na,w1,x\nb,,x\n", 4, "empty worker")]
    [InlineData("item,worker,label\na,w1,\"x\n", 2, "unterminated quoted field")]
    [InlineData("item,worker,label\n", 2, "no labels after the header")]
    public async Task bad_labels_get_one_line_naming_file_and_line(string content, int line, string message)
    {
        var input = Write("bad.csv", content);

        var (code, stdout, stderr) = await Run("aggregate", "--input", input, "--method", "ds");

        code.ShouldBe(VerityCli.BadInput);
        stdout.ShouldBeEmpty();
        stderr.ShouldBe($"verity: {input}:{line}: {message}{Environment.NewLine}");
    }

    [Fact]
    public async Task a_bad_winner_names_its_line()
    {
        var input = Write("pairs.csv", "worker,left,right,winner\nw1,a,b,a\nw1,a,b,c\n");

        var (code, _, stderr) = await Run("aggregate", "--input", input, "--method", "bt");

        code.ShouldBe(VerityCli.BadInput);
        stderr.ShouldBe($"verity: {input}:3: winner 'c' is neither 'a', 'b' nor 'tie'{Environment.NewLine}");
    }

    [Fact]
    public async Task an_unknown_method_or_a_missing_file_is_bad_input()
    {
        var input = Write("labels.csv", "item,worker,label\na,w,x\n");
        var missing = Path.Combine(_folder, "missing.csv");

        var unknown = await Run("aggregate", "--input", input, "--method", "magic");
        var absent = await Run("aggregate", "--input", missing, "--method", "mv");

        unknown.Code.ShouldBe(VerityCli.BadInput);
        unknown.Stderr.ShouldContain("magic");
        absent.Code.ShouldBe(VerityCli.BadInput);
        absent.Stderr.ShouldStartWith($"verity: {missing}: cannot read the file");
    }

    [Fact]
    public async Task cohen_kappa_with_three_raters_names_the_file()
    {
        var input = Write("ratings.csv", "item,worker,value\n1,A,1\n1,B,1\n1,C,2\n");

        var (code, _, stderr) = await Run("agreement", "--input", input, "--metric", "cohen");

        code.ShouldBe(VerityCli.BadInput);
        stderr.ShouldStartWith($"verity: {input}: Cohen's kappa needs exactly two raters, found 3");
    }

    [Fact]
    public async Task a_rater_who_rates_an_item_twice_is_reported_with_the_line()
    {
        var input = Write("ratings.csv", "item,worker,value\n1,A,1\n1,B,1\n1,A,2\n");

        var (code, _, stderr) = await Run("agreement", "--input", input, "--metric", "percent");

        code.ShouldBe(VerityCli.BadInput);
        stderr.ShouldBe($"verity: {input}:4: worker 'A' already rated item '1'{Environment.NewLine}");
    }

    private string Write(string name, string content)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllText(path, content);
        return path;
    }

    private static async Task<(int Code, string Stdout, string Stderr)> Run(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await VerityCli.RunAsync(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }
}
