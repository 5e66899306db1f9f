using Verity.Core.Workforce;

namespace Verity.Core.Tests.Workforce;

public sealed class ProjectAccessTests
{
    private static readonly TrackTier[] CodingTier1 = [new("general", 3), new("coding", 1)];

    [Fact]
    public void an_applicant_is_refused_every_work_project_and_offered_only_the_starter_assessment()
    {
        ProjectAccess.Refusal([], 1, []).ShouldNotBeNull().ShouldContain("Starter Assessment");
        ProjectAccess.AssessmentRefusal("general", "general", [], ["coding"]).ShouldBeNull();
        ProjectAccess.AssessmentRefusal("coding", "general", [], ["coding"]).ShouldNotBeNull().ShouldContain("Starter Assessment first");
    }

    [Fact]
    public void a_project_needs_one_of_its_tracks_at_its_tier()
    {
        ProjectAccess.Refusal([], 1, CodingTier1).ShouldBeNull("no tracks named: any admitted person");
        ProjectAccess.Refusal(["coding", "stem"], 1, CodingTier1).ShouldBeNull();
        ProjectAccess.Refusal(["stem"], 1, CodingTier1).ShouldBe("This project is for people qualified in stem; you are not. Pass that track's assessment first.");
        ProjectAccess.Refusal(["coding"], 2, CodingTier1).ShouldBe("This project needs tier 2 or higher in coding; you are at tier 1.");
        ProjectAccess.Refusal([], 3, CodingTier1).ShouldBeNull("the general tier 3 counts when no track is named");
    }

    [Fact]
    public void a_specialised_assessment_is_for_admitted_people_who_applied_and_are_not_yet_qualified()
    {
        ProjectAccess.AssessmentRefusal("stem", "general", CodingTier1, ["stem"]).ShouldBeNull();
        ProjectAccess.AssessmentRefusal("stem", "general", CodingTier1, ["coding"]).ShouldBe("You did not apply for the stem track.");
        ProjectAccess.AssessmentRefusal("coding", "general", CodingTier1, ["coding"]).ShouldBe("You are already qualified for coding.");
        ProjectAccess.AssessmentRefusal("general", "general", CodingTier1, []).ShouldBe("You are already qualified for general.");
    }

    [Fact]
    public void every_question_counts_the_same_and_a_missing_one_scores_zero()
    {
        AssessmentScoring.Score(4, [1, 1, 1, 0.5]).ShouldBe(0.875);
        AssessmentScoring.Score(4, [1, 1]).ShouldBe(0.5);
        AssessmentScoring.Score(0, []).ShouldBe(0);
        AssessmentScoring.Passes(7 / 10.0, 0.7).ShouldBeTrue("7 of 10 passes a 0.7 bar despite binary fractions");
        AssessmentScoring.Passes(0.69, 0.7).ShouldBeFalse();
    }

    [Fact]
    public void access_settings_name_track_ids_and_a_tier_in_range()
    {
        var errors = new ErrorList();
        new AccessSettings(["coding", "bad id"], 0).Validate(errors);
        errors.ToDictionary().Keys.Order().ShouldBe(["access.minTier", "access.tracks"]);
        AccessSettings.Store(["coding", "stem", "coding"]).ShouldBe("coding stem");
        AccessSettings.Parse(" coding  stem ").ShouldBe(["coding", "stem"]);
    }
}
