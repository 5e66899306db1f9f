using Verity.Core.Projects;

namespace Verity.Core.Tests.Projects;

public sealed class RubricTests
{
    [Theory]
    [InlineData("""{"dimensions":[{"name":"a"},{"name":"a"}]}""", "rating", "rubric.dimensions", "\"a\" appears more than once")]
    [InlineData("""{"dimensions":[{"name":"a","min":3,"max":2}]}""", "rating", "rubric.dimensions[0]", "scale 3..2")]
    [InlineData("""{"dimensions":[{"name":"a","anchors":{"9":"x"}}]}""", "rating", "rubric.dimensions[0].anchors.9", "not a level")]
    [InlineData("""{"dimensions":[{"name":"has space"}]}""", "rating", "rubric.dimensions[0].name", "letters, digits")]
    [InlineData("""{"labels":["only"]}""", "classification", "rubric.labels", "at least 2 labels")]
    [InlineData("""{"labels":["x","y"]}""", "pairwise", "rubric.labels", "a pairwise project has no labels")]
    [InlineData("""{"dimensions":[{"name":"x"}]}""", "ranking", "rubric.dimensions", "a ranking project has no dimensions")]
    [InlineData("""{"minChars":0}""", "demonstration", "rubric.minChars", "between 1 and 20,000")]
    [InlineData("""{"colour":"red"}""", "pairwise", "rubric.colour", "could not be mapped")]
    [InlineData("""{"dimensions":"many"}""", "rating", "rubric.dimensions", "could not be converted")]
    public void a_malformed_rubric_is_refused_naming_the_field(string json, string kind, string field, string message)
    {
        var error = Should.Throw<ValidationException>(() => Rubric.Parse(json, kind));
        error.Errors.Keys.ShouldContain(field);
        error.Errors[field].ShouldContain(m => m.Contains(message, StringComparison.Ordinal), string.Join(" | ", error.Errors[field]));
    }

    [Fact]
    public void a_rubric_round_trips_through_its_stored_json()
    {
        var rubric = Rubric.Parse("""{"dimensions":[{"name":"accuracy","label":"Accuracy","anchors":{"1":"wrong","5":"right"},"allowNa":true}],"flags":[{"name":"unsafe","escalate":true}]}""", TaskKind.Rating);
        var again = Rubric.Parse(rubric.ToJson(), TaskKind.Rating);
        again.Dimensions.Single().Anchor(5).ShouldBe("right");
        again.Dimensions.Single().AllowNa.ShouldBeTrue();
        again.Flags.Single().Escalate.ShouldBeTrue();
        Rubric.Parse(null, TaskKind.Pairwise).Flags.Select(f => f.Name).ShouldBe(["unsafe", "personal-data", "factually-wrong", "cannot-assess"]);
    }
}
