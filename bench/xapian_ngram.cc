// xapian_ngram.cc: the baseline indexer for bench/run: Xapian's TermGenerator, CJK n-grams.
//
//   bench-xapian-ngram CORPUS_DIR DB
//
// Indexes every non-blank line of every *.txt file in CORPUS_DIR as one document, with
// positions (TermGenerator::FLAG_CJK_NGRAM: CJK unigrams and bigrams, words elsewhere) and
// the line as stored data: what a user would get from Xapian's own indexer. Prints the
// number of documents. Exit status 0 on success, 1 on any error (message on stderr).
#include <xapian.h>

#include <dirent.h>

#include <algorithm>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

int main(int argc, char **argv)
{
	if (argc != 3) {
		std::cerr << "usage: bench-xapian-ngram CORPUS_DIR DB\n";
		return 2;
	}
	try {
		std::vector<std::string> files;
		DIR *dir = opendir(argv[1]);
		if (dir == nullptr) {
			std::cerr << argv[1] << ": cannot open the directory\n";
			return 1;
		}
		for (struct dirent *e; (e = readdir(dir)) != nullptr;) {
			std::string name = e->d_name;
			if (name.size() > 4 && name.compare(name.size() - 4, 4, ".txt") == 0)
				files.push_back(std::string(argv[1]) + "/" + name);
		}
		closedir(dir);
		std::sort(files.begin(), files.end());

		Xapian::WritableDatabase db(argv[2], Xapian::DB_CREATE_OR_OVERWRITE);
		Xapian::TermGenerator gen;
		gen.set_flags(Xapian::TermGenerator::FLAG_CJK_NGRAM);
		unsigned long docs = 0;
		for (const std::string &path : files) {
			std::ifstream in(path);
			if (!in) {
				std::cerr << path << ": cannot read\n";
				return 1;
			}
			for (std::string line; std::getline(in, line);) {
				if (line.find_first_not_of(" \t\r") == std::string::npos)
					continue;
				Xapian::Document doc;
				gen.set_document(doc);
				gen.index_text(line);
				doc.set_data(line);
				db.add_document(doc);
				docs++;
			}
		}
		db.commit();
		std::cout << docs << "\n";
	} catch (const Xapian::Error &e) {
		std::cerr << "xapian: " << e.get_description() << "\n";
		return 1;
	} catch (const std::exception &e) {
		std::cerr << "error: " << e.what() << "\n";
		return 1;
	}
	return 0;
}
