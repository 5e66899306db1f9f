using Verity.Core.Work;

namespace Verity.Core.Tests.Work;

public sealed class PairwiseAnswerTests
{
    private static readonly string[] Ids = ["a", "b"];
    private static readonly RationaleRule Rule = new(Required: true, MinChars: 10);

    [Fact]
    public void a_valid_answer_is_returned_as_given()
    {
        PairwiseAnswer.Validate("b", 3, "B cites the source.", Ids, Rule).ShouldBe(new PairwiseAnswer("b", 3));
    }

    [Fact]
    public void a_tie_drops_its_strength()
    {
        PairwiseAnswer.Validate("tie", 3, "Both are equally wrong.", Ids, Rule).ShouldBe(new PairwiseAnswer("tie", null));
        PairwiseAnswer.Validate("tie", null, "Both are equally wrong.", Ids, Rule).Strength.ShouldBeNull();
    }

    [Fact]
    public void every_bad_field_is_reported_at_once()
    {
        var error = Should.Throw<ValidationException>(() => PairwiseAnswer.Validate("c", 0, "short", Ids, Rule));
        error.Errors.Keys.Order(StringComparer.Ordinal).ShouldBe(["choice", "rationale", "strength"]);
    }

    [Theory]
    [InlineData(null, true, "is required")]
    [InlineData("   ", true, "is required")]
    [InlineData("too short", true, "at least 10 characters (has 9)")]
    [InlineData("too short", false, "at least 10 characters (has 9)")]
    public void rationale_rules_apply(string? rationale, bool required, string expected)
    {
        var error = Should.Throw<ValidationException>(() => PairwiseAnswer.Validate("a", 1, rationale, Ids, Rule with { Required = required }));
        error.Errors["rationale"].Single().ShouldContain(expected);
    }

    [Fact]
    public void an_optional_rationale_may_be_left_out()
    {
        PairwiseAnswer.Validate("a", 1, null, Ids, new RationaleRule(Required: false, MinChars: 10)).Choice.ShouldBe("a");
    }

    [Fact]
    public void shuffling_keeps_every_response_and_uses_both_orders()
    {
        var random = new Random(7);
        var firsts = Enumerable.Range(0, 200).Select(_ => ShownOrder.Shuffle(Ids, random)).ToList();
        firsts.ShouldAllBe(order => order.Order(StringComparer.Ordinal).SequenceEqual(Ids));
        firsts.Count(o => o[0] == "a").ShouldBeInRange(70, 130);
    }
}
