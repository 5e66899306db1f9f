using Verity.Bench;

return args switch
{
    ["accuracy"] => QualityBench.Accuracy(),
    ["speed"] => QualityBench.Speed(),
    ["overlap"] => OverlapBench.Run(),
    ["active"] => ActiveBench.Run(),
    ["rationales"] => RationaleBench.Run(),
    ["speed-run", var method, var file] => QualityBench.SpeedRun(method, file),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: Verity.Bench accuracy | speed | overlap | active | rationales");
    return 2;
}
