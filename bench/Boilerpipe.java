// Boilerpipe.java - peer reference for bench/run.sh: boilerpipe's
// ArticleExtractor (Debian's libboilerpipe-java) over a NUL-separated list
// of HTML files, in one JVM, printing each page's article text.
// usage: java -cp ...:. Boilerpipe LIST [OUTDIR]
// With OUTDIR, each page's text goes to OUTDIR/NAME.txt instead (NAME: the
// file's name less .html; tools/peer_quality.py scores them), and a page
// boilerpipe fails on gets an empty file.
import de.l3s.boilerpipe.extractors.ArticleExtractor;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

public class Boilerpipe {
	public static void main(String[] args) throws Exception {
		String list = new String(Files.readAllBytes(Paths.get(args[0])),
					 StandardCharsets.UTF_8);
		PrintStream out = new PrintStream(System.out, false, "UTF-8");
		for (String name : list.split("\0")) {
			if (name.isEmpty())
				continue;
			String html = new String(Files.readAllBytes(Paths.get(name)),
						 StandardCharsets.UTF_8);
			String text = "";
			try {
				text = ArticleExtractor.INSTANCE.getText(html);
			} catch (Exception e) {
				System.err.println("Boilerpipe: " + name + ": " + e);
				if (args.length < 2)
					continue;
			}
			if (args.length < 2) {
				out.println(text);
				continue;
			}
			String base = Paths.get(name).getFileName().toString()
				.replaceFirst("\\.html$", "");
			Path dst = Paths.get(args[1], base + ".txt");
			Files.write(dst, (text + "\n").getBytes(StandardCharsets.UTF_8));
		}
		out.flush();
	}
}
