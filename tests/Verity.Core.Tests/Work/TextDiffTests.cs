using FsCheck.Xunit;
using Verity.Core.Work;

namespace Verity.Core.Tests.Work;

public class TextDiffTests
{
    [Property(MaxTest = 200)]
    public void word_parts_rebuild_both_texts(string? before, string? after)
    {
        before ??= "";
        after ??= "";

        var diff = TextDiff.Words(before, after);

        string.Concat(diff.Where(d => d.Op != "insert").Select(d => d.Text)).ShouldBe(before);
        string.Concat(diff.Where(d => d.Op != "delete").Select(d => d.Text)).ShouldBe(after);
        diff.ShouldAllBe(d => d.Text.Length > 0);
    }

    [Fact]
    public void one_changed_word_in_a_long_text_is_the_only_change()
    {
        var words = Enumerable.Range(0, 20_000).Select(i => $"w{i}").ToArray();
        var before = string.Join(' ', words);
        words[12_345] = "changed";

        var diff = TextDiff.Words(before, string.Join(' ', words));

        diff.Select(d => d.Op).ShouldBe(["equal", "delete", "insert", "equal"]);
        diff[1].Text.ShouldBe("w12345 ");
        diff[2].Text.ShouldBe("changed ");
    }
}
