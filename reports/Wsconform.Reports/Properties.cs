using System.Runtime.CompilerServices;

// The tests exercise AtomicFile's failure paths directly.
[assembly: InternalsVisibleTo("Wsconform.Reports.Tests")]
