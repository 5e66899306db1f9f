using Verity.Core.Items;
using Verity.Core.Projects;
using Verity.Core.Work;

namespace Verity.Core.Tests.Work;

public sealed class AnswerValidatorTests
{
    private static readonly Response[] Two = [new("a", "A"), new("b", "B")];
    private static readonly Response[] Four = [new("a", "A"), new("b", "B"), new("c", "C"), new("d", "D")];
    private static readonly Response[] One = [new("r", "The capitol of France is Paris.")];
    private static readonly RationaleRule Rule = new(Required: true, MinChars: 10);
    private const string Why = "Because of the evidence.";

    private static ValidatedAnswer Validate(string kind, Submission submission, Rubric? rubric = null, IReadOnlyList<Response>? responses = null) =>
        AnswerValidator.Validate(kind, rubric ?? Rubric.Parse(null, kind), Rule, responses ?? Two, submission);

    private static IReadOnlyDictionary<string, string[]> Errors(string kind, Submission submission, Rubric? rubric = null, IReadOnlyList<Response>? responses = null) =>
        Should.Throw<ValidationException>(() => Validate(kind, submission, rubric, responses)).Errors;

    [Fact]
    public void a_pairwise_answer_is_stored_as_given_and_a_tie_drops_its_strength()
    {
        Validate(TaskKind.Pairwise, new Submission("b", 3, Rationale: Why)).Answer.ShouldBe(new PairwiseAnswer("b", 3));
        Validate(TaskKind.Pairwise, new Submission("tie", 3, Rationale: Why)).Answer.ShouldBe(new PairwiseAnswer("tie", null));
    }

    [Fact]
    public void every_bad_field_is_reported_at_once()
    {
        Errors(TaskKind.Pairwise, new Submission("c", 0, Rationale: "short")).Keys.Order(StringComparer.Ordinal).ShouldBe(["choice", "rationale", "strength"]);
    }

    [Fact]
    public void fields_of_another_kind_are_refused_by_name()
    {
        var errors = Errors(TaskKind.Pairwise, new Submission("a", 1, Scores: new Dictionary<string, int?>(StringComparer.Ordinal), Text: "x", Rationale: Why));
        errors["scores"].Single().ShouldBe("is not used by a pairwise task.");
        errors["text"].Single().ShouldBe("is not used by a pairwise task.");
    }

    [Fact]
    public void pairwise_dimensions_need_a_choice_each()
    {
        var rubric = Rubric.Parse("""{"dimensions":[{"name":"helpfulness"},{"name":"honesty"}]}""", TaskKind.Pairwise);
        var ok = Validate(TaskKind.Pairwise, new Submission("a", 2, new Dictionary<string, string>(StringComparer.Ordinal) { ["helpfulness"] = "a", ["honesty"] = "tie" }, Rationale: Why), rubric);
        ((PairwiseAnswer)ok.Answer).Dimensions!["honesty"].ShouldBe("tie");

        var errors = Errors(TaskKind.Pairwise, new Submission("a", 2, new Dictionary<string, string>(StringComparer.Ordinal) { ["helpfulness"] = "z", ["harm"] = "a" }, Rationale: Why), rubric);
        errors["dimensions.helpfulness"].Single().ShouldContain("\"z\" is not one of");
        errors["dimensions.honesty"].Single().ShouldContain("is required");
        errors["dimensions.harm"].Single().ShouldBe("is not a dimension of this project.");
    }

    [Fact]
    public void a_ranking_must_rank_every_response_and_only_tie_when_allowed()
    {
        Dictionary<string, int> Ranks(params (string Id, int Rank)[] ranks) => ranks.ToDictionary(r => r.Id, r => r.Rank, StringComparer.Ordinal);
        var ok = Validate(TaskKind.Ranking, new Submission(Ranks: Ranks(("c", 1), ("a", 2), ("d", 3), ("b", 4)), Rationale: Why), responses: Four);
        ((RankingAnswer)ok.Answer).Ranks["c"].ShouldBe(1);

        var missing = Errors(TaskKind.Ranking, new Submission(Ranks: Ranks(("a", 1), ("b", 2), ("c", 3), ("x", 4)), Rationale: Why), responses: Four);
        missing["ranks.d"].Single().ShouldContain("every response needs a rank");
        missing["ranks.x"].Single().ShouldContain("not a response");

        var tied = Errors(TaskKind.Ranking, new Submission(Ranks: Ranks(("a", 1), ("b", 1), ("c", 3), ("d", 4)), Rationale: Why), responses: Four);
        tied["ranks"].Single().ShouldContain("does not allow ties");
        var allowTies = Rubric.Parse("""{"allowTies":true}""", TaskKind.Ranking);
        Validate(TaskKind.Ranking, new Submission(Ranks: Ranks(("a", 1), ("b", 1), ("c", 3), ("d", 4)), Rationale: Why), allowTies, Four).Answer.ShouldBeOfType<RankingAnswer>();
        Errors(TaskKind.Ranking, new Submission(Ranks: Ranks(("a", 1), ("b", 2), ("c", 3), ("d", 5)), Rationale: Why), responses: Four)["ranks.d"].Single().ShouldContain("between 1 and 4");
    }

    [Fact]
    public void a_rating_needs_every_dimension_in_range_and_na_only_where_allowed()
    {
        var rubric = Rubric.Parse("""{"dimensions":[{"name":"accuracy","max":5},{"name":"safety","allowNa":true},{"name":"tone","min":0,"max":2}]}""", TaskKind.Rating);
        var ok = Validate(TaskKind.Rating, new Submission(Scores: new Dictionary<string, int?>(StringComparer.Ordinal) { ["accuracy"] = 4, ["safety"] = null, ["tone"] = 0 }, Rationale: Why), rubric, One);
        ((RatingAnswer)ok.Answer).Scores["safety"].ShouldBeNull();

        var errors = Errors(TaskKind.Rating, new Submission(Scores: new Dictionary<string, int?>(StringComparer.Ordinal) { ["accuracy"] = 6, ["tone"] = null, ["style"] = 3 }, Rationale: Why), rubric, One);
        errors["scores.accuracy"].Single().ShouldContain("6 is out of range");
        errors["scores.safety"].Single().ShouldContain("is missing");
        errors["scores.tone"].Single().ShouldContain("cannot be N/A");
        errors["scores.style"].Single().ShouldContain("not a dimension");
    }

    [Fact]
    public void a_rating_project_without_dimensions_gets_the_five_defaults()
    {
        Rubric.Parse(null, TaskKind.Rating).Dimensions.Select(d => d.Name).ShouldBe(["accuracy", "instructions", "completeness", "tone", "safety"]);
    }

    [Fact]
    public void a_rewrite_keeps_a_word_diff_and_notes_whether_anything_changed()
    {
        var rubric = Rubric.Parse("""{"minChars":10}""", TaskKind.Rewrite);
        var answer = (TextAnswer)Validate(TaskKind.Rewrite, new Submission(Text: "The capital of France is Paris.", Rationale: Why), rubric, One).Answer;
        answer.Changed.ShouldBe(true);
        answer.Diff.ShouldBe([new DiffPart("equal", "The "), new DiffPart("delete", "capitol "), new DiffPart("insert", "capital "), new DiffPart("equal", "of France is Paris.")]);
        ((TextAnswer)Validate(TaskKind.Rewrite, new Submission(Text: One[0].Text, Rationale: Why), rubric, One).Answer).Changed.ShouldBe(false);
    }

    [Fact]
    public void a_demonstration_must_reach_the_minimum_length()
    {
        var rubric = Rubric.Parse("""{"minChars":30}""", TaskKind.Demonstration);
        Errors(TaskKind.Demonstration, new Submission(Text: "Too short.", Rationale: Why), rubric, [])["text"].Single().ShouldContain("at least 30 characters (has 10)");
        ((TextAnswer)Validate(TaskKind.Demonstration, new Submission(Text: "A full and careful answer to the prompt.", Rationale: Why), rubric, []).Answer).Diff.ShouldBeNull();
    }

    [Fact]
    public void classification_labels_come_from_the_label_set()
    {
        var single = Rubric.Parse("""{"labels":["safe","unsafe"]}""", TaskKind.Classification);
        ((ClassificationAnswer)Validate(TaskKind.Classification, new Submission(Labels: ["safe"], Rationale: Why), single, One).Answer).Labels.ShouldBe(["safe"]);
        Errors(TaskKind.Classification, new Submission(Labels: ["spam"], Rationale: Why), single, One)["labels"].Single().ShouldContain("\"spam\" is not in this project's label set");
        Errors(TaskKind.Classification, new Submission(Labels: ["safe", "unsafe"], Rationale: Why), single, One)["labels"].Single().ShouldContain("only one label");
        Errors(TaskKind.Classification, new Submission(Labels: [], Other: "spam", Rationale: Why), single, One)["other"].Single().ShouldContain("does not accept");

        var multi = Rubric.Parse("""{"labels":["safe","unsafe"],"multiLabel":true,"allowOther":true}""", TaskKind.Classification);
        var answer = (ClassificationAnswer)Validate(TaskKind.Classification, new Submission(Labels: ["safe", "unsafe"], Other: "satire", Rationale: Why), multi, One).Answer;
        answer.Labels.ShouldBe(["safe", "unsafe"]);
        answer.Other.ShouldBe("satire");
    }

    [Fact]
    public void flags_come_from_the_rubric_and_escalating_flags_escalate()
    {
        var validated = Validate(TaskKind.Pairwise, new Submission("a", 1, Flags: [new("factually-wrong", "Year is off"), new("unsafe")], Rationale: Why));
        validated.Flags.Select(f => f.Name).ShouldBe(["factually-wrong", "unsafe"]);
        validated.Escalated.ShouldBeTrue();
        Validate(TaskKind.Pairwise, new Submission("a", 1, Flags: [new("cannot-assess")], Rationale: Why)).Escalated.ShouldBeFalse();
        Errors(TaskKind.Pairwise, new Submission("a", 1, Flags: [new("boring")], Rationale: Why))["flags[0].name"].Single().ShouldContain("\"boring\" is not a flag");
    }

    [Theory]
    [InlineData(null, true, "is required")]
    [InlineData("   ", true, "is required")]
    [InlineData("too short", true, "at least 10 characters (has 9)")]
    [InlineData("too short", false, "at least 10 characters (has 9)")]
    public void rationale_rules_apply(string? rationale, bool required, string expected)
    {
        var error = Should.Throw<ValidationException>(() => AnswerValidator.Validate(
            TaskKind.Pairwise, Rubric.Parse(null, TaskKind.Pairwise), Rule with { Required = required }, Two, new Submission("a", 1, Rationale: rationale)));
        error.Errors["rationale"].Single().ShouldContain(expected);
    }

    [Fact]
    public void shuffling_keeps_every_response_and_uses_both_orders()
    {
        var random = new Random(7);
        var orders = Enumerable.Range(0, 200).Select(_ => ShownOrder.Shuffle(["a", "b"], random)).ToList();
        orders.ShouldAllBe(order => order.Order(StringComparer.Ordinal).SequenceEqual(Two.Select(r => r.Id)));
        orders.Count(o => o[0] == "a").ShouldBeInRange(70, 130);
    }
}
