using System.Runtime.InteropServices;

namespace Rhei.Data.Benchmarks.Harness;

/// <summary>What the figures were measured on, printed with them.</summary>
internal static class MachineInfo
{
    public static string Describe()
    {
        var cpu = "unknown CPU";
        try
        {
            // Linux only; elsewhere the runtime's description is enough.
            cpu = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? cpu;
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }

        var memory = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1024.0 * 1024 * 1024);
        return $"{Environment.ProcessorCount} cores ({cpu}), {memory:0} GiB, {RuntimeInformation.OSDescription}, {RuntimeInformation.FrameworkDescription}";
    }
}
