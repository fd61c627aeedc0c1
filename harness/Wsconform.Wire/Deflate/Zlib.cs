using System.Reflection;
using System.Runtime.InteropServices;

namespace Wsconform.Wire.Deflate;

/// <summary>
/// The system zlib, through interop. The framework's <c>DeflateStream</c> cannot choose the LZ77 window, and
/// permessage-deflate needs exactly that: a compressor that honours the <c>client_max_window_bits</c> a server imposes
/// (RFC 7692 §7.1.2.2), and a decompressor sized to <c>server_max_window_bits</c> so that a server that uses a larger
/// window than it agreed to is caught ("invalid distance too far back") instead of silently accepted.
/// </summary>
internal static unsafe partial class Zlib
{
    private const string Library = "wsconform-zlib";

    /// <summary>Names the system zlib goes by, tried in order (Linux, macOS, Windows).</summary>
    private static readonly string[] Candidates = ["libz.so.1", "libz.so", "libz.1.dylib", "libz.dylib", "zlib1.dll"];

    public const int Ok = 0;
    public const int StreamEnd = 1;
    public const int NeedDict = 2;
    public const int BufError = -5;
    public const int SyncFlush = 2;
    public const int Deflated = 8;
    public const int DefaultStrategy = 0;
    public const int HuffmanOnly = 2;
    public const int DefaultCompression = -1;

    static Zlib() => NativeLibrary.SetDllImportResolver(typeof(Zlib).Assembly, Resolve);

    private static readonly Lazy<string?> LoadProblem = new(() =>
    {
        try
        {
            return Marshal.PtrToStringAnsi(zlibVersion()) is { Length: > 0 } ? null : "zlib reported no version";
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return e.Message;
        }
    });

    /// <summary>Throws <see cref="ZlibUnavailableException"/>, naming what to install, when no system zlib can be loaded.</summary>
    public static void EnsureAvailable()
    {
        if (LoadProblem.Value is { } problem) throw new ZlibUnavailableException(problem);
    }

    /// <summary>The loaded zlib's version, e.g. "1.2.13".</summary>
    public static string Version
    {
        get
        {
            EnsureAvailable();
            return Marshal.PtrToStringAnsi(zlibVersion()) ?? "";
        }
    }

    private static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? path)
    {
        if (name != Library) return IntPtr.Zero;
        foreach (var candidate in Candidates)
        {
            if (NativeLibrary.TryLoad(candidate, assembly, path, out var handle)) return handle;
        }
        throw new DllNotFoundException($"none of {string.Join(", ", Candidates)} could be loaded");
    }

    /// <summary>zlib's <c>z_stream</c>. <c>uLong</c> is <see cref="CULong"/>: 8 octets on 64-bit Unix, 4 on Windows.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct ZStream
    {
        public byte* NextIn;
        public uint AvailIn;
        public CULong TotalIn;
        public byte* NextOut;
        public uint AvailOut;
        public CULong TotalOut;
        public IntPtr Msg;
        public IntPtr State;
        public IntPtr ZAlloc;
        public IntPtr ZFree;
        public IntPtr Opaque;
        public int DataType;
        public CULong Adler;
        public CULong Reserved;
    }

    [LibraryImport(Library)] private static partial IntPtr zlibVersion();
    [LibraryImport(Library, EntryPoint = "deflateInit2_")] private static partial int DeflateInit2(ZStream* stream, int level, int method, int windowBits, int memLevel, int strategy, IntPtr version, int streamSize);
    [LibraryImport(Library, EntryPoint = "deflate")] public static partial int Deflate(ZStream* stream, int flush);
    [LibraryImport(Library, EntryPoint = "deflateReset")] public static partial int DeflateReset(ZStream* stream);
    [LibraryImport(Library, EntryPoint = "deflateEnd")] public static partial int DeflateEnd(ZStream* stream);
    [LibraryImport(Library, EntryPoint = "inflateInit2_")] private static partial int InflateInit2(ZStream* stream, int windowBits, IntPtr version, int streamSize);
    [LibraryImport(Library, EntryPoint = "inflate")] public static partial int Inflate(ZStream* stream, int flush);
    [LibraryImport(Library, EntryPoint = "inflateReset")] public static partial int InflateReset(ZStream* stream);
    [LibraryImport(Library, EntryPoint = "inflateEnd")] public static partial int InflateEnd(ZStream* stream);

    /// <summary>A zeroed z_stream in native memory: zlib keeps a pointer to it, so it must never move.</summary>
    public static ZStream* AllocateStream() => (ZStream*)NativeMemory.AllocZeroed((nuint)sizeof(ZStream));

    public static int InitRawDeflate(ZStream* stream, int level, int windowBits, int memLevel, int strategy) =>
        DeflateInit2(stream, level, Deflated, -windowBits, memLevel, strategy, zlibVersion(), sizeof(ZStream));

    public static int InitRawInflate(ZStream* stream, int windowBits) =>
        InflateInit2(stream, -windowBits, zlibVersion(), sizeof(ZStream));

    /// <summary>zlib's message for the last error on <paramref name="stream"/>, or the return code.</summary>
    public static string Describe(ZStream* stream, int code) =>
        stream->Msg != IntPtr.Zero ? Marshal.PtrToStringAnsi(stream->Msg) ?? $"zlib error {code}" : $"zlib error {code}";
}

/// <summary>The system zlib could not be loaded; the message says what to install.</summary>
public sealed class ZlibUnavailableException(string detail) : Exception(
    $"permessage-deflate needs the system zlib library (libz.so.1; on Debian or Ubuntu the package zlib1g), which could not be loaded: {detail}");
