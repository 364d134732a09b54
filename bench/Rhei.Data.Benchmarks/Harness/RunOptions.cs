using System.Globalization;

namespace Rhei.Data.Benchmarks.Harness;

/// <summary>The command line: <c>--quick</c>, <c>--json file</c>, <c>--only group[,group]</c>, <c>--sizes 10000,100000</c>, <c>--micro</c>.</summary>
internal sealed class RunOptions
{
    public bool Quick { get; private set; }

    public string? JsonPath { get; private set; }

    public string? MarkdownPath { get; private set; }

    public HashSet<string>? Only { get; private set; }

    public IReadOnlyList<long>? Sizes { get; private set; }

    /// <summary>Run the BenchmarkDotNet micro-benchmarks; the remaining arguments go to BenchmarkDotNet.</summary>
    public bool Micro { get; private set; }

    public string[] MicroArguments { get; private set; } = [];

    public DateTime StartedUtc { get; } = DateTime.UtcNow;

    /// <summary>Where the scenario databases go: the system temp folder unless RHEI_BENCH_DIR says otherwise.</summary>
    public string WorkDirectory { get; private set; } = Environment.GetEnvironmentVariable("RHEI_BENCH_DIR") ?? Path.GetTempPath();

    public bool Runs(string group) => Only is null || Only.Contains(group);

    public static RunOptions Parse(string[] args)
    {
        var options = new RunOptions();
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--quick":
                    options.Quick = true;
                    break;
                case "--json":
                    options.JsonPath = Value(args, ref i);
                    break;
                case "--markdown":
                    options.MarkdownPath = Value(args, ref i);
                    break;
                case "--only":
                    options.Only = new HashSet<string>(Value(args, ref i).Split(','), StringComparer.OrdinalIgnoreCase);
                    break;
                case "--sizes":
                    options.Sizes = Value(args, ref i).Split(',').Select(s => long.Parse(s, CultureInfo.InvariantCulture)).ToArray();
                    break;
                case "--dir":
                    options.WorkDirectory = Value(args, ref i);
                    break;
                case "--micro":
                    options.Micro = true;
                    options.MicroArguments = args[(i + 1)..];
                    return options;
                default:
                    throw new ArgumentException($"Unknown argument '{args[i]}'. Use --quick, --json <file>, --markdown <file>, --only <groups>, --sizes <n,n>, --dir <folder> or --micro [BenchmarkDotNet arguments].");
            }
        }

        return options;
    }

    private static string Value(string[] args, ref int i)
        => ++i < args.Length ? args[i] : throw new ArgumentException($"{args[i - 1]} needs a value.");
}
