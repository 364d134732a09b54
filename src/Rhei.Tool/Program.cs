namespace Rhei.Tool;

internal static class Program
{
    public static Task<int> Main(string[] args) => RheiCli.RunAsync(args, ToolConsole.Create());
}
