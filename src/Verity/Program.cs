using Verity.Cli;

return await VerityCli.RunAsync(args, Console.Out, Console.Error);
