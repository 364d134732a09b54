Console.WriteLine("sample");
