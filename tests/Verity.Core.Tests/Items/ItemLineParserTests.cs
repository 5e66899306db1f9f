using Verity.Core.Items;
using Verity.Core.Projects;

namespace Verity.Core.Tests.Items;

public sealed class ItemLineParserTests
{
    private static (ItemDraft? Draft, List<string> Problems) Parse(string line)
    {
        var problems = new List<string>();
        return (ItemLineParser.Parse(line, TaskKind.Pairwise, Rubric.Parse(null, TaskKind.Pairwise), problems), problems);
    }

    [Fact]
    public void a_valid_line_keeps_every_field_and_the_metadata_verbatim()
    {
        var (draft, problems) = Parse("""{"externalId":"q1","prompt":"Why?","responses":[{"id":"a","text":"A"},{"id":"b","text":"B"}],"metadata":{"topic":"x","n":1}}""");
        problems.ShouldBeEmpty();
        draft.ShouldNotBeNull();
        draft.ExternalId.ShouldBe("q1");
        draft.Prompt.ShouldBe("Why?");
        draft.Responses.ShouldBe([new Response("a", "A"), new Response("b", "B")]);
        draft.MetadataJson.ShouldBe("""{"topic":"x","n":1}""");
    }

    [Fact]
    public void a_gold_answer_is_checked_like_a_submission_and_kept_with_its_explanation()
    {
        var (draft, problems) = Parse("""{"externalId":"g","prompt":"p","responses":[{"id":"a","text":"A"},{"id":"b","text":"B"}],"gold":{"choice":"b","strength":2,"explanation":"B is right."}}""");
        problems.ShouldBeEmpty();
        draft!.Gold.ShouldBe(new Verity.Core.Work.PairwiseAnswer("b", 2));
        draft.GoldExplanation.ShouldBe("B is right.");

        var (bad, badProblems) = Parse("""{"externalId":"g","prompt":"p","responses":[{"id":"a","text":"A"},{"id":"b","text":"B"}],"gold":{"choice":"c","strength":2}}""");
        bad.ShouldBeNull();
        badProblems.ShouldContain(p => p.StartsWith("gold.choice: \"c\" is not a response", StringComparison.Ordinal), string.Join(" | ", badProblems));
    }

    [Fact]
    public void missing_metadata_becomes_an_empty_object()
    {
        Parse("""{"externalId":"q1","prompt":"p","responses":[{"id":"a","text":"A"},{"id":"b","text":"B"}]}""").Draft!.MetadataJson.ShouldBe("{}");
    }

    [Theory]
    [InlineData("""{"prompt":"p","responses":[{"id":"a","text":"A"},{"id":"b","text":"B"}]}""", "externalId: is required")]
    [InlineData("""{"externalId":7,"prompt":"p","responses":[{"id":"a","text":"A"},{"id":"b","text":"B"}]}""", "externalId: must be a string")]
    [InlineData("""{"externalId":"q","prompt":"  ","responses":[{"id":"a","text":"A"},{"id":"b","text":"B"}]}""", "prompt: must not be empty")]
    [InlineData("""{"externalId":"q","prompt":"p","responses":[{"id":"a","text":"A"}]}""", "exactly 2 responses, found 1")]
    [InlineData("""{"externalId":"q","prompt":"p","responses":[{"id":"tie","text":"A"},{"id":"b","text":"B"}]}""", "responses[0].id: \"tie\" is reserved")]
    [InlineData("""{"externalId":"q","prompt":"p","responses":[{"id":"a","text":"A","score":1},{"id":"b","text":"B"}]}""", "responses[0].score: unknown field")]
    [InlineData("""{"externalId":"q","prompt":"p","responses":[{"id":"a","text":"A"},{"id":"b","text":"B"}],"metadata":[1]}""", "metadata: must be an object")]
    [InlineData("""[1,2]""", "must be a JSON object")]
    [InlineData("""{"externalId":""", "not valid JSON")]
    public void each_bad_field_is_named(string line, string expected)
    {
        var (draft, problems) = Parse(line);
        draft.ShouldBeNull();
        problems.ShouldContain(p => p.Contains(expected, StringComparison.Ordinal), string.Join(" | ", problems));
    }
}
